# ctest drift check: cmake -DFRESH=<build output> -DCHECKED_IN=<file in generated/> -P check_drift.cmake
if(NOT EXISTS "${FRESH}")
  message(FATAL_ERROR "${FRESH} does not exist: build first (cmake --build build)")
endif()
if(NOT EXISTS "${CHECKED_IN}")
  message(FATAL_ERROR "${CHECKED_IN} is missing; run `cmake --build build --target refresh-generated`")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files "${FRESH}" "${CHECKED_IN}" RESULT_VARIABLE differ)
if(differ)
  message(FATAL_ERROR "${CHECKED_IN} differs from a fresh generation (${FRESH}): the spec or the generator "
                      "changed. Run `cmake --build build --target refresh-generated` and commit the result.")
endif()
