# cmake -DFILE=<file> -DEXPECT=<text> [-DREJECT=<text>] -P expect_text.cmake: FILE must hold EXPECT
# and must not hold REJECT (plain text, not regular expressions).
file(READ "${FILE}" content)
string(FIND "${content}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${FILE}: '${EXPECT}' not found")
endif()
if(DEFINED REJECT)
  string(FIND "${content}" "${REJECT}" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "${FILE}: '${REJECT}' found")
  endif()
endif()
