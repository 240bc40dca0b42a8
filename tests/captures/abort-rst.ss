# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER
snapshot 1796185782.664026 established
ESTAB 127.0.0.1:36745 127.0.0.1:57054
ESTAB 127.0.0.1:57054 127.0.0.1:36745
snapshot 1796185782.904477 client aborted
