# cmake -DDIRS="a|b|..." -P fresh_dirs.cmake: each directory, emptied (made
# if missing). The ctest fuzz entries start from their seeds alone, so a run
# replays the same inputs wherever and however often it runs.
string(REPLACE "|" ";" dirs "${DIRS}")
foreach(dir IN LISTS dirs)
  file(REMOVE_RECURSE "${dir}")
  file(MAKE_DIRECTORY "${dir}")
endforeach()
