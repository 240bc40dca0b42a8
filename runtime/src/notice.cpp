#include "tcprt/endpoint.hpp"

namespace tcprt {

std::string_view message(notice_kind k) noexcept {
    switch (k) {
        case notice_kind::connection_reset: return "connection reset";
        case notice_kind::connection_refused: return "connection refused";
        case notice_kind::connection_closing: return "connection closing";
        case notice_kind::connection_already_exists: return "connection already exists";
        case notice_kind::connection_does_not_exist: return "connection does not exist";
        case notice_kind::connection_timed_out: return "connection aborted due to user timeout";
        case notice_kind::data_delivered: return "data delivered";
    }
    return "unknown notice";
}

}  // namespace tcprt
