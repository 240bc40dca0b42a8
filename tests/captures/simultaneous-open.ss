# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER
snapshot 1796185788.282761 both open
ESTAB 127.0.0.1:33331 127.0.0.1:33745
ESTAB 127.0.0.1:33745 127.0.0.1:33331
snapshot 1796185788.533179 both closed
TIME-WAIT 127.0.0.1:33745 127.0.0.1:33331
