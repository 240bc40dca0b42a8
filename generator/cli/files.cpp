#include "cli/files.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <csignal>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fsmgen::cli {
namespace fs = std::filesystem;

namespace {

std::string why() { return std::strerror(errno); }

class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }
    // Closes now and says whether the close succeeded (a deferred write error shows up here).
    bool close() {
        int fd = fd_;
        fd_ = -1;
        return ::close(fd) == 0;
    }

private:
    int fd_;
};

// All of `data`, retrying short writes and EINTR; false with errno set on failure.
bool write_all(int fd, const std::string& data) {
    std::size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) {
            errno = EIO;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// ---- temporary files removed on a fatal signal ------------------------------------------------------
// The handler may only call async-signal-safe functions: the names live in fixed buffers, a slot is
// filled before it is published (count) and emptied (first byte 0) when its file is renamed or removed.
constexpr int max_temps = 16;
char temp_names[max_temps][PATH_MAX];
std::atomic<int> temp_count{0};

int remember_temp(const std::string& name) {
    int slot = temp_count.load();
    if (slot >= max_temps || name.size() >= PATH_MAX) return -1;
    std::memcpy(temp_names[slot], name.c_str(), name.size() + 1);
    temp_count.store(slot + 1);
    return slot;
}

void forget_temp(int slot) {
    if (slot >= 0) temp_names[slot][0] = '\0';
}

extern "C" void remove_temps_and_die(int sig) {
    int n = temp_count.load();
    for (int i = 0; i < n; ++i)
        if (temp_names[i][0] != '\0') ::unlink(temp_names[i]);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

struct Temp {
    std::string name;
    int slot = -1;
};

void discard(std::vector<Temp>& temps) {
    for (Temp& t : temps) {
        if (t.name.empty()) continue;
        ::unlink(t.name.c_str());
        forget_temp(t.slot);
        t.name.clear();
    }
}

// ---- what each output is ----------------------------------------------------------------------------

enum class Kind {
    unchanged,  // a regular file that already holds the content
    replace,    // a regular file, or a new one: temporary file and rename
    stream,     // a FIFO, a device, a terminal, /dev/stdout: written straight through
};

struct Plan {
    const Output* output = nullptr;
    Kind kind = Kind::replace;
    fs::path target;     // the file written: symlinks resolved, so a symlink stays one
    mode_t mode = 0;     // permissions for the new file
};

mode_t default_mode() {
    mode_t mask = ::umask(0);
    ::umask(mask);
    return 0666 & ~mask;
}

// Whether the regular file `path`, known to be `content.size()` bytes long, holds `content`.
bool holds(const fs::path& path, const std::string& content) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) return false;
    char buf[65536];
    std::size_t at = 0;
    while (true) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) return at == content.size();
        auto got = static_cast<std::size_t>(n);
        if (at + got > content.size() || content.compare(at, got, buf, got) != 0) return false;
        at += got;
    }
}

// Paths under /dev and /proc name open descriptors (/dev/stdout, /dev/fd/3, /proc/self/fd/1) or
// kernel files: even when they lead to a regular file, replacing that file would not reach the
// descriptor, so they are written through.
bool names_a_descriptor(const std::string& path) {
    return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}

Plan plan(const Output& out, const std::optional<FileId>& input, const std::string& input_name) {
    Plan p;
    p.output = &out;
    struct stat st {};
    if (::stat(out.path.c_str(), &st) != 0) {
        if (errno != ENOENT) throw FileError(out.path + ": " + why());
        // A new file, or a symlink to one: the link stays, its target is created.
        p.target = out.path;
        std::error_code ec;
        for (int hops = 0; hops < 40 && fs::is_symlink(p.target, ec); ++hops) {
            fs::path link = fs::read_symlink(p.target, ec);
            if (ec) break;
            p.target = link.is_absolute() ? link : p.target.parent_path() / link;
        }
        p.mode = default_mode();
        return p;
    }
    if (input && FileId{st.st_dev, st.st_ino} == *input)
        throw FileError("refusing to write " + out.path + ": it is the spec being read, " + input_name);
    if (S_ISDIR(st.st_mode)) throw FileError(out.path + ": is a directory");
    if (!S_ISREG(st.st_mode) || names_a_descriptor(out.path)) {
        p.kind = Kind::stream;
        p.target = out.path;
        return p;
    }
    std::error_code ec;
    p.target = fs::canonical(out.path, ec);
    if (ec) throw FileError(out.path + ": " + ec.message());
    p.mode = st.st_mode & 07777;
    if (static_cast<std::uintmax_t>(st.st_size) == out.content.size() && holds(p.target, out.content)) p.kind = Kind::unchanged;
    return p;
}

// Writes `p`'s content into a new temporary file beside its target; throws, leaving none, on failure.
Temp write_temp(const Plan& p) {
    fs::path dir = p.target.parent_path();
    if (!dir.empty()) {
        std::error_code ec;
        fs::create_directories(dir, ec);
        if (ec) throw FileError(p.output->path + ": cannot create directory " + dir.string() + ": " + ec.message());
    }
    std::string name = (dir / ("." + p.target.filename().string() + ".fsmgen-XXXXXX")).string();
    Fd fd(::mkostemp(name.data(), O_CLOEXEC));
    if (fd.get() < 0) throw FileError(p.output->path + ": cannot create a temporary file in " + (dir.empty() ? "." : dir.string()) + ": " + why());
    Temp t{name, remember_temp(name)};
    auto fail = [&](const std::string& what) {
        int saved = errno;
        ::unlink(t.name.c_str());
        forget_temp(t.slot);
        errno = saved;
        throw FileError(p.output->path + ": " + what + ": " + why());
    };
    if (!write_all(fd.get(), p.output->content)) fail("cannot write");
    if (::fchmod(fd.get(), p.mode) != 0) fail("cannot set permissions");
    // On disk before the rename: after a crash the file is the old one or the whole new one.
    if (::fsync(fd.get()) != 0) fail("cannot write");
    if (!fd.close()) fail("cannot write");
    return t;
}

void write_through(const Plan& p) {
    Fd fd(::open(p.target.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY));
    if (fd.get() < 0) throw FileError(p.output->path + ": cannot open: " + why());
    if (!write_all(fd.get(), p.output->content)) throw FileError(p.output->path + ": cannot write: " + why());
    if (!fd.close()) throw FileError(p.output->path + ": cannot write: " + why());
}

FileError too_large(const std::string& name, std::size_t limit) {
    return FileError(name + ": larger than " + std::to_string(limit >> 20) + " MiB, the limit for a spec");
}

}  // namespace

Input read_input(const std::string& path, const std::string& name, std::size_t limit) {
    bool from_stdin = path == "-";
    Fd owned(from_stdin ? -1 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
    if (!from_stdin && owned.get() < 0) throw FileError(name + ": cannot open: " + why());
    int fd = from_stdin ? STDIN_FILENO : owned.get();
    Input in;
    struct stat st {};
    if (::fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) throw FileError(name + ": is a directory");
        if (S_ISREG(st.st_mode)) {
            in.id = FileId{st.st_dev, st.st_ino};
            if (static_cast<std::uintmax_t>(st.st_size) > limit) throw too_large(name, limit);
        }
    }
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw FileError(name + ": read error: " + why());
        if (n == 0) break;
        if (in.text.size() + static_cast<std::size_t>(n) > limit) throw too_large(name, limit);
        in.text.append(buf, static_cast<std::size_t>(n));
    }
    return in;
}

std::vector<std::string> write_outputs(const std::vector<Output>& outputs, const std::optional<FileId>& input,
                                       const std::string& input_name) {
    // Everything is looked at before anything is written: a refused output refuses them all.
    std::vector<Plan> plans;
    for (const Output& out : outputs) plans.push_back(plan(out, input, input_name));

    std::vector<Temp> temps(plans.size());
    try {
        for (std::size_t i = 0; i < plans.size(); ++i)
            if (plans[i].kind == Kind::replace) temps[i] = write_temp(plans[i]);
    } catch (...) {
        discard(temps);
        throw;
    }
    // The main output last: it includes its companions, so it never appears before them.
    for (std::size_t i = plans.size(); i-- > 0;) {
        if (plans[i].kind != Kind::replace) continue;
        if (::rename(temps[i].name.c_str(), plans[i].target.c_str()) != 0) {
            std::string message = plans[i].output->path + ": cannot replace: " + why();
            discard(temps);
            throw FileError(message);
        }
        forget_temp(temps[i].slot);
        temps[i].name.clear();
    }
    std::vector<std::string> written;
    for (const Plan& p : plans) {
        if (p.kind == Kind::stream) write_through(p);
        if (p.kind != Kind::unchanged) written.push_back(p.output->path);
    }
    return written;
}

bool writes_through(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && (!S_ISREG(st.st_mode) || names_a_descriptor(path));
}

void write_stdout(const std::string& content) {
    if (!write_all(STDOUT_FILENO, content)) throw FileError(std::string("standard output: cannot write: ") + why());
}

void install_signal_cleanup() {
    struct sigaction action {};
    action.sa_handler = remove_temps_and_die;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction old {};
        // A signal the caller ignores (nohup, a background job) stays ignored.
        if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler != SIG_IGN) ::sigaction(sig, &action, nullptr);
    }
    ::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace fsmgen::cli
