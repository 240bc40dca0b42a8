# cmake -DWORK=... -DFSMGEN_SOURCE_DIR=... -DGENERATOR=... [-DMAKE_PROGRAM=...] -DCXX_COMPILER=...
#       -P subdirectory.cmake
# Configures subdirectory/ in an empty build dir; its CMakeLists.txt holds the checks.
cmake_minimum_required(VERSION 3.22)
file(REMOVE_RECURSE "${WORK}")
set(args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" "-DFSMGEN_SOURCE_DIR=${FSMGEN_SOURCE_DIR}")
if(MAKE_PROGRAM)
  list(APPEND args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" -S "${CMAKE_CURRENT_LIST_DIR}/subdirectory" -B "${WORK}" ${args}
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring a project that adds fsmgen with add_subdirectory failed (${rc}):\n${out}")
endif()
