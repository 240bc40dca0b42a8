# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER
snapshot 1796185784.520052 client sent its FIN
FIN-WAIT-2 127.0.0.1:55120 127.0.0.1:40453
CLOSE-WAIT 127.0.0.1:40453 127.0.0.1:55120
snapshot 1796185784.765197 server sent data after the client's FIN
FIN-WAIT-2 127.0.0.1:55120 127.0.0.1:40453
CLOSE-WAIT 127.0.0.1:40453 127.0.0.1:55120
snapshot 1796185784.999926 server closed
TIME-WAIT 127.0.0.1:55120 127.0.0.1:40453
