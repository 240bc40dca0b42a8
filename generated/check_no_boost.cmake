# ctest: cmake -DCXX=<compiler> -DTU=<source> -DINCLUDE_DIR=<dir> -P check_no_boost.cmake
# Fails if the TU, preprocessed as C++17, reads any Boost header: the light header tcp_fsm_types.hpp
# exists so that translation units not using the machine do not pay for Boost.MSM.
execute_process(COMMAND ${CXX} -std=c++17 -M -I${INCLUDE_DIR} ${TU}
                OUTPUT_VARIABLE deps ERROR_VARIABLE errors RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${CXX} -M ${TU} failed (${rc}):\n${errors}")
endif()
if(NOT deps MATCHES "_types\\.hpp")
  message(FATAL_ERROR "${TU} does not read a light header; its dependencies:\n${deps}")
endif()
# The project's own paths may contain a directory named boost (a checkout in .../boost/): only what
# lies outside them can be a Boost header.
get_filename_component(tu_dir "${TU}" DIRECTORY)
get_filename_component(source_dir "${tu_dir}" DIRECTORY)
string(REPLACE "${INCLUDE_DIR}/" "<include>/" deps "${deps}")
string(REPLACE "${source_dir}/" "<source>/" deps "${deps}")
string(REGEX MATCH "[^ \n\\\\]*/boost/[^ \n\\\\]*" boost_header "${deps}")
if(boost_header)
  message(FATAL_ERROR "${TU} reads a Boost header (${boost_header}); the light header must need no Boost")
endif()
