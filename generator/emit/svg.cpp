// Target `svg`: the `dot` target rendered by Graphviz (`dot -Tsvg`).
//
// Graphviz is a program, not a library we link, so this backend runs it: found on PATH by hand (so a
// missing Graphviz is a clear EmitError, not an exec failure), started with posix_spawn (no shell, so
// nothing in the spec or the environment is ever parsed as a command), fed and drained through pipes
// (no temporary files). Absolute PATH entries only: an empty or relative entry means "the current
// directory", and a diagram tool has no business running whatever `dot` lies there.
#include "emit/svg.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace fsmgen {
namespace {

const char* const missing_dot = "Graphviz 'dot' not found on PATH; install graphviz or use --target dot";

std::optional<std::string> find_on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    if (!path) return std::nullopt;
    std::string_view rest = path;
    while (true) {
        std::size_t colon = rest.find(':');
        std::string_view dir = rest.substr(0, colon);
        if (!dir.empty() && dir.front() == '/') {
            std::string candidate = std::string(dir) + "/" + program;
            struct stat st {};
            if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
                return candidate;
        }
        if (colon == std::string_view::npos) return std::nullopt;
        rest.remove_prefix(colon + 1);
    }
}

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            fd_ = other.fd_;
            other.fd_ = -1;
        }
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

struct Pipe {
    Fd read, write;
};

Pipe make_pipe() {
    int fds[2];
    // Close-on-exec: the child gets only the ends dup2'ed onto 0, 1 and 2.
    if (::pipe2(fds, O_CLOEXEC) != 0) throw EmitError(std::string("cannot create a pipe for Graphviz: ") + std::strerror(errno));
    Pipe p;
    p.read = Fd(fds[0]);
    p.write = Fd(fds[1]);
    return p;
}

// Writing to a dot that died early raises SIGPIPE, which would kill the whole generator. SIGPIPE is
// blocked for this thread while we talk to the child (and a pending one consumed afterwards) instead
// of changing the process-wide disposition behind the caller's back.
class SigpipeBlock {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeBlock() {
        sigset_t pending;
        sigpending(&pending);
        if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
            timespec zero{0, 0};
            sigtimedwait(&pipe_, nullptr, &zero);
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t pipe_{}, old_{};
    bool was_pending_ = false;
};

std::string run_dot(const std::string& program, std::string_view input) {
    Pipe in = make_pipe(), out = make_pipe(), err = make_pipe();

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read.get(), 0);
    posix_spawn_file_actions_adddup2(&actions, out.write.get(), 1);
    posix_spawn_file_actions_adddup2(&actions, err.write.get(), 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, pipe_only;
    sigemptyset(&none);
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    // The child must not inherit our blocked SIGPIPE or an ignored one.
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &pipe_only);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::string arg0 = "dot", arg1 = "-Tsvg";
    char* argv[] = {arg0.data(), arg1.data(), nullptr};
    SigpipeBlock block;
    pid_t pid = 0;
    int rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) throw EmitError("cannot run Graphviz '" + program + "': " + std::strerror(rc));
    in.read.reset();
    out.write.reset();
    err.write.reset();

    // Feed and drain at once: a large graph fills one pipe while dot waits on the other.
    ::fcntl(in.write.get(), F_SETFL, ::fcntl(in.write.get(), F_GETFL) | O_NONBLOCK);
    std::string svg, errors;
    std::size_t written = 0;
    if (input.empty()) in.write.reset();
    while (out.read.get() >= 0 || err.read.get() >= 0) {
        pollfd fds[3] = {{in.write.get(), POLLOUT, 0}, {out.read.get(), POLLIN, 0}, {err.read.get(), POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (in.write.get() >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = ::write(in.write.get(), input.data() + written, input.size() - written);
            if (n > 0) written += static_cast<std::size_t>(n);
            if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) in.write.reset();
        }
        auto drain = [](Fd& fd, short revents, std::string& into) {
            if (fd.get() < 0 || !(revents & (POLLIN | POLLERR | POLLHUP))) return;
            char buf[65536];
            ssize_t n = ::read(fd.get(), buf, sizeof buf);
            if (n > 0) into.append(buf, static_cast<std::size_t>(n));
            else if (n == 0 || (errno != EINTR && errno != EAGAIN)) fd.reset();
        };
        drain(out.read, fds[1].revents, svg);
        drain(err.read, fds[2].revents, errors);
    }
    in.write.reset();

    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
        std::string why = WIFEXITED(status)    ? "exit status " + std::to_string(WEXITSTATUS(status))
                          : WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                : "unknown status";
        while (!errors.empty() && (errors.back() == '\n' || errors.back() == '\r')) errors.pop_back();
        throw EmitError("Graphviz '" + program + "' failed (" + why + ")" + (errors.empty() ? "" : ": " + errors));
    }
    if (written != input.size()) throw EmitError("Graphviz '" + program + "' exited before reading its whole input");
    if (svg.empty()) throw EmitError("Graphviz '" + program + "' wrote no SVG");
    return svg;
}

class SvgBackend : public Backend {
public:
    std::string_view name() const override { return "svg"; }
    std::string_view description() const override { return "the dot diagram rendered to SVG by Graphviz (needs 'dot' on PATH)"; }

    bool draws() const override { return true; }

    void emit(const model::Model& m, const EmitOptions& options, OutputSink& out) const override {
        out.write("", render_svg(m, options));
    }
};

}  // namespace

std::string render_svg(const model::Model& m, const EmitOptions& options) {
    // Looked up first: without Graphviz there is no point in building the graph.
    std::optional<std::string> program = find_on_path("dot");
    if (!program) throw EmitError(missing_dot);
    MemorySink dot;
    make_dot_backend()->emit(m, options, dot);
    return run_dot(*program, dot.files[""]);
}

std::unique_ptr<Backend> make_svg_backend() { return std::make_unique<SvgBackend>(); }

}  // namespace fsmgen
