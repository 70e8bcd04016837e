//! Entry point of the http test binary (dynamic Boost.Test).
#define BOOST_TEST_MODULE http_tests
#include <boost/test/unit_test.hpp>
