# Writes OUT: spec/tcp.fsm (IN) with one planted bug that `tcpfsm explore` must catch: CLOSE in
# CLOSE-WAIT goes to LAST-ACK without sending the FIN, so the peer waits in FIN-WAIT-2 and LAST-ACK
# waits for the ACK of a FIN that never left (P2 and P3).
file(READ "${IN}" spec)
set(good "CLOSE_WAIT + close [!has_unread_data] / send_fin -> LAST_ACK")
set(bad "CLOSE_WAIT + close [!has_unread_data] -> LAST_ACK")
string(FIND "${spec}" "${good}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${IN} no longer has the row `${good}`: choose another row to break in ${CMAKE_CURRENT_LIST_FILE}")
endif()
string(REPLACE "${good}" "${bad}" spec "${spec}")
file(WRITE "${OUT}.tmp" "${spec}")
file(RENAME "${OUT}.tmp" "${OUT}")
