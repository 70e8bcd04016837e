# Included by the main (g++) build: builds the libFuzzer targets in a clang
# tree of their own (<build>/fuzz) and runs each for a short fixed budget as
# a ctest entry. bench/fuzz_long.sh runs them for as long as you like.
find_program(COMPACTSIM_CLANGXX NAMES clang++ clang++-14)
if(NOT COMPACTSIM_CLANGXX)
  message(FATAL_ERROR "the fuzz tests need clang++ (Debian's clang; tools/test installs it)")
endif()
include(ExternalProject)
set(COMPACTSIM_FUZZ_DIR ${CMAKE_BINARY_DIR}/fuzz)
set(COMPACTSIM_FUZZERS fuzz_scenario fuzz_cluster_config fuzz_fault_spec fuzz_node_frames
    fuzz_doris_routes fuzz_druid_routes fuzz_control_routes)
# -O1 with line tables: stack traces name the line, and the tree builds in
# about half the time of -O2 -g.
set(fuzz_args -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -gline-tables-only"
    -DCMAKE_CXX_COMPILER=${COMPACTSIM_CLANGXX} -DCOMPACTSIM_FUZZ=ON)
if(COMPACTSIM_CCACHE)
  list(APPEND fuzz_args -DCMAKE_CXX_COMPILER_LAUNCHER=${COMPACTSIM_CCACHE})
endif()
ExternalProject_Add(compactsim_fuzzers
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${COMPACTSIM_FUZZ_DIR}
  CMAKE_ARGS ${fuzz_args}
  # Its own -j: a make under make cannot reach the parent's jobserver here
  # and would fall back to one job.
  BUILD_COMMAND ${CMAKE_COMMAND} --build ${COMPACTSIM_FUZZ_DIR} --parallel 2 --target ${COMPACTSIM_FUZZERS}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  # The main build's own jobs share the cores; this tree builds after them.
  DEPENDS compactsim)

# Seeds: the corpus in fuzz/corpus, the shipped scenarios and the example
# cluster. Each run writes what it finds to a work corpus of its own in the
# build tree (never to the sources), emptied before every ctest run; the
# random seed is fixed. So a run replays the same inputs every time, on a
# fresh clone or after weeks of bench/fuzz_long.sh (whose corpus, in
# corpus/, grows to thousands of inputs and is not read here), and CI never
# goes red on a mutation it happened to draw that day. Budget: 8 s each,
# on two cores.
set(COMPACTSIM_FUZZ_TARGETS fuzz_scenario fuzz_cluster_config fuzz_fault_spec fuzz_node_frames
  fuzz_doris_routes fuzz_druid_routes fuzz_control_routes)
function(compactsim_fuzz_test name)
  cmake_parse_arguments(ARG "" "" "SEEDS" ${ARGN})
  set(work ${COMPACTSIM_FUZZ_DIR}/ctest-corpus/${name})
  add_test(NAME fuzz.${name}
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
      UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
      ${COMPACTSIM_FUZZ_DIR}/fuzz/${name} -seed=1 -max_total_time=8 -timeout=20 -rss_limit_mb=3072
      -print_final_stats=1 ${work} ${ARG_SEEDS})
  set_tests_properties(fuzz.${name} PROPERTIES TIMEOUT 120 FIXTURES_REQUIRED fuzz_corpus)
endfunction()

set(fresh)
foreach(target IN LISTS COMPACTSIM_FUZZ_TARGETS)
  list(APPEND fresh ${COMPACTSIM_FUZZ_DIR}/ctest-corpus/${target})
endforeach()
string(REPLACE ";" "|" fresh "${fresh}") # a list cannot cross add_test's COMMAND
add_test(NAME fuzz.corpus_dirs COMMAND ${CMAKE_COMMAND} "-DDIRS=${fresh}" -P ${PROJECT_SOURCE_DIR}/fuzz/fresh_dirs.cmake)
set_tests_properties(fuzz.corpus_dirs PROPERTIES FIXTURES_SETUP fuzz_corpus)

set(seeds ${PROJECT_SOURCE_DIR}/fuzz/corpus)
compactsim_fuzz_test(fuzz_scenario SEEDS ${PROJECT_SOURCE_DIR}/scenarios ${PROJECT_SOURCE_DIR}/tests/scenarios)
compactsim_fuzz_test(fuzz_cluster_config SEEDS ${PROJECT_SOURCE_DIR}/examples)
compactsim_fuzz_test(fuzz_fault_spec SEEDS ${seeds}/fault_spec)
compactsim_fuzz_test(fuzz_node_frames SEEDS ${seeds}/node_frames)
compactsim_fuzz_test(fuzz_doris_routes SEEDS ${seeds}/routes)
compactsim_fuzz_test(fuzz_druid_routes SEEDS ${seeds}/routes)
compactsim_fuzz_test(fuzz_control_routes SEEDS ${seeds}/routes)
