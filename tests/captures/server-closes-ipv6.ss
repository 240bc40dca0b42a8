# ss -tanH at quiet moments of the capture (listening sockets left out): snapshot SECONDS LABEL, then STATE LOCAL PEER
snapshot 1796185781.412189 established, data exchanged
ESTAB [::1]:46504 [::1]:44993
ESTAB [::1]:44993 [::1]:46504
snapshot 1796185781.639443 one end closed
CLOSE-WAIT [::1]:46504 [::1]:44993
FIN-WAIT-2 [::1]:44993 [::1]:46504
snapshot 1796185781.872574 both closed
TIME-WAIT [::1]:44993 [::1]:46504
