// Captures as one stream of events, on one thread or two (capture_stream.hpp). With two, the reading
// thread fills batches of decoded segments and the calling thread empties them: a fixed set of
// batches goes round between the two (bounded memory, no allocation per batch), in order.
#include "tcprt/capture_stream.hpp"

#include <array>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace tcprt::capture {

namespace {

void read_here(const std::vector<std::string>& paths, bool verify_checksums, stream_events& to) {
    tcp_packet p;
    for (const auto& path : paths) {
        std::string error;
        auto rd = reader::open(path, verify_checksums, error);
        if (!rd) {
            to.failed(path, error);
            return;
        }
        to.opened(path, rd->link_type());
        while (rd->next(p)) to.segments(&p, 1);
        to.ended(path, rd->counts(), rd->stop_reason());
    }
}

// What the reading thread hands over at once: maybe the opening of a file, its next segments, maybe
// how the file (or the stream) ended.
struct batch {
    // 16,384 segments of about 160 bytes (2.6 MB): a hand-over costs far more than its mutex (a
    // wait and a wake-up on each side). With the two threads pinned to different cores, the
    // monitor's CPU time fell from about 1.7 to 1.1-1.3 times one thread's as batches went from
    // 1,024 to 16,384 segments (docs/performance.md); smaller batches were worse still, and handing
    // over packed records of a third the size changed nothing. Four go round: 10.5 MB, allocated once.
    static constexpr std::size_t capacity = 16384;
    std::unique_ptr<tcp_packet[]> packets = std::make_unique<tcp_packet[]>(capacity);
    std::size_t count = 0;
    const std::string* opened = nullptr;  // the path of the file opened before these segments
    int link_type = 0;
    enum class end : std::uint8_t { none, file_ended, file_failed, stream_ended, exception } how = end::none;
    const std::string* path = nullptr;  // file_ended, file_failed
    counts file_counts{};
    std::string text;  // file_ended: why reading stopped early, if it did; file_failed: the error
    std::exception_ptr error;

    void reset() {
        count = 0;
        opened = nullptr;
        how = end::none;
        path = nullptr;
        text.clear();
        error = nullptr;
    }
};

// The batches between the two threads: the empty ones go to the reader, the full ones to the caller,
// each way in order. stop() ends the reader's wait when the caller gives up.
class hand_over {
public:
    static constexpr std::size_t batches = 4;

    hand_over() {
        for (auto& b : storage_) empty_.push(&b);
    }

    batch* take_empty() {
        std::unique_lock<std::mutex> lock(m_);
        empty_ready_.wait(lock, [this] { return stopped_ || !empty_.is_empty(); });
        return stopped_ ? nullptr : empty_.pop();
    }
    void give_full(batch* b) {
        {
            std::lock_guard<std::mutex> lock(m_);
            full_.push(b);
        }
        full_ready_.notify_one();
    }
    batch* take_full() {
        std::unique_lock<std::mutex> lock(m_);
        full_ready_.wait(lock, [this] { return !full_.is_empty(); });
        return full_.pop();
    }
    void give_empty(batch* b) {
        b->reset();
        {
            std::lock_guard<std::mutex> lock(m_);
            empty_.push(b);
        }
        empty_ready_.notify_one();
    }
    void stop() {
        {
            std::lock_guard<std::mutex> lock(m_);
            stopped_ = true;
        }
        empty_ready_.notify_one();
    }

private:
    // First in, first out, never more than all the batches: a ring that allocates nothing.
    struct ring {
        std::array<batch*, batches> at{};
        std::size_t head = 0, size = 0;
        bool is_empty() const noexcept { return size == 0; }
        void push(batch* b) noexcept { at[(head + size++) % batches] = b; }
        batch* pop() noexcept {
            batch* b = at[head];
            head = (head + 1) % batches;
            --size;
            return b;
        }
    };
    std::array<batch, batches> storage_;
    std::mutex m_;
    std::condition_variable empty_ready_, full_ready_;
    ring empty_, full_;
    bool stopped_ = false;
};

// The reading thread: returns when the stream ended (the last batch says how) or the caller stopped.
void read_into(const std::vector<std::string>& paths, bool verify_checksums, hand_over& q) {
    batch* b = q.take_empty();
    if (!b) return;
    try {
        for (const auto& path : paths) {
            std::string error;
            auto rd = reader::open(path, verify_checksums, error);
            if (!rd) {
                b->how = batch::end::file_failed;
                b->path = &path;
                b->text = error;
                q.give_full(b);
                return;
            }
            b->opened = &path;
            b->link_type = rd->link_type();
            for (;;) {
                if (b->count == batch::capacity) {
                    q.give_full(b);
                    if (!(b = q.take_empty())) return;
                }
                if (!rd->next(b->packets[b->count])) break;
                ++b->count;
            }
            b->how = batch::end::file_ended;
            b->path = &path;
            b->file_counts = rd->counts();
            b->text = rd->stop_reason();
            q.give_full(b);
            if (!(b = q.take_empty())) return;
        }
        b->how = batch::end::stream_ended;
        q.give_full(b);
    } catch (...) {
        b->how = batch::end::exception;
        b->error = std::current_exception();
        q.give_full(b);
    }
}

void read_threaded(const std::vector<std::string>& paths, bool verify_checksums, stream_events& to) {
    hand_over q;
    // Stopped and joined however this returns: an exception from `to` must not leave the reader
    // waiting for a batch.
    struct reading_thread {
        hand_over& q;
        std::thread t;
        ~reading_thread() {
            q.stop();
            t.join();
        }
    } reading{q, std::thread(read_into, std::cref(paths), verify_checksums, std::ref(q))};
    for (;;) {
        batch* b = q.take_full();
        if (b->opened) to.opened(*b->opened, b->link_type);
        if (b->count) to.segments(b->packets.get(), b->count);
        switch (b->how) {
            case batch::end::none: break;
            case batch::end::file_ended: to.ended(*b->path, b->file_counts, b->text); break;
            case batch::end::file_failed: to.failed(*b->path, b->text); return;
            case batch::end::stream_ended: return;
            case batch::end::exception: std::rethrow_exception(b->error);
        }
        q.give_empty(b);
    }
}

}  // namespace

void read_stream(const std::vector<std::string>& paths, bool verify_checksums, stream_events& to, unsigned threads) {
    if (threads >= 2)
        read_threaded(paths, verify_checksums, to);
    else
        read_here(paths, verify_checksums, to);
}

}  // namespace tcprt::capture
