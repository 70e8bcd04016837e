//! Entry point of the scenario test binary (dynamic Boost.Test).
#define BOOST_TEST_MODULE scenario_tests
#include <boost/test/unit_test.hpp>
