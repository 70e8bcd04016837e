//! The one translation unit that compiles Boost.Asio and Boost.Beast. The
//! compactsim_beast target defines BOOST_ASIO_SEPARATE_COMPILATION and
//! BOOST_BEAST_SEPARATE_COMPILATION, so every other file includes only the
//! declarations and links against the definitions built here.

#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
