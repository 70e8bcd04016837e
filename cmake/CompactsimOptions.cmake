# One INTERFACE target carries the project's warning and sanitizer flags; every
# target of the project links it.
add_library(compactsim_options INTERFACE)
target_compile_options(compactsim_options INTERFACE -Wall -Wextra -Wpedantic)
# GCC 12 reports false -Wrestrict errors on std::string concatenation at -O2
# (GCC bug 105329); the warning stays on for other compilers.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(compactsim_options INTERFACE -Wno-restrict)
endif()
if(COMPACTSIM_WERROR)
  target_compile_options(compactsim_options INTERFACE -Werror)
endif()
if(COMPACTSIM_SANITIZE)
  target_compile_options(compactsim_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(compactsim_options INTERFACE -fsanitize=address,undefined)
  # ASan's instrumentation makes GCC report false maybe-uninitialized uses
  # inside Boost.Beast's parser (boost::optional); keep them from failing -Werror.
  target_compile_options(compactsim_options INTERFACE -Wno-maybe-uninitialized)
endif()
if(COMPACTSIM_FUZZ)
  # Every library is instrumented for coverage and checked by ASan and UBSan;
  # the fuzz targets link libFuzzer's main (fuzz/CMakeLists.txt).
  target_compile_options(compactsim_options INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
    -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/fuzz/sanitizer_ignore.txt)
  target_link_options(compactsim_options INTERFACE -fsanitize=address,undefined)
endif()
