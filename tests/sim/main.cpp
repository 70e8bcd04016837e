//! Entry point of the sim test binary (dynamic Boost.Test).
#define BOOST_TEST_MODULE sim_tests
#include <boost/test/unit_test.hpp>
