# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER
snapshot 1796185780.030955 established, data exchanged
ESTAB 127.0.0.1:56186 127.0.0.1:36965
ESTAB 127.0.0.1:36965 127.0.0.1:56186
snapshot 1796185780.291360 one end closed
FIN-WAIT-2 127.0.0.1:56186 127.0.0.1:36965
CLOSE-WAIT 127.0.0.1:36965 127.0.0.1:56186
snapshot 1796185780.504204 both closed
TIME-WAIT 127.0.0.1:56186 127.0.0.1:36965
