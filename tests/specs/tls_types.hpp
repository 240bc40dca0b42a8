// The user's own type that tests/specs/tls.fsm makes an event (`certificate = tls::certificate`).
#pragma once

#include <string>
#include <vector>

namespace tls {
struct certificate {
    std::string subject;
    std::vector<std::string> chain;
};
}  // namespace tls
