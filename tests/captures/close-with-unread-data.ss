# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER
snapshot 1796185785.787468 data waits unread at the client
ESTAB 127.0.0.1:36623 127.0.0.1:60710
ESTAB 127.0.0.1:60710 127.0.0.1:36623
snapshot 1796185786.027310 client closed
