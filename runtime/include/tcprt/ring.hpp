// A fixed-capacity FIFO: the endpoint's output queues never allocate after construction. When the
// caller does not drain it, the newest item is refused and counted (a full NIC queue drops too; TCP
// recovers through retransmission).
#pragma once

#include <array>
#include <cstddef>
#include <optional>

namespace tcprt {

template <class T, std::size_t N>
class ring {
public:
    bool push(const T& v) noexcept {
        if (size_ == N) return false;
        items_[(head_ + size_) % N] = v;
        ++size_;
        return true;
    }
    std::optional<T> pop() noexcept {
        if (size_ == 0) return std::nullopt;
        T v = items_[head_];
        head_ = (head_ + 1) % N;
        --size_;
        return v;
    }
    void clear() noexcept { head_ = size_ = 0; }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    static constexpr std::size_t capacity() noexcept { return N; }

private:
    std::array<T, N> items_{};
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

}  // namespace tcprt
