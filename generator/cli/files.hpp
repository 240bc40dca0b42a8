// The command line's file I/O: reading a spec of any kind of file within a size limit, and writing
// outputs so that no file is ever lost or half-written.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/types.h>

namespace fsmgen::cli {

// A failure to read or write a file; the message names the file and says why.
struct FileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Device and inode: the same file whatever path (symlink, hard link, "..") reaches it.
struct FileId {
    dev_t device = 0;
    ino_t inode = 0;
    bool operator==(const FileId& other) const { return device == other.device && inode == other.inode; }
};

struct Input {
    std::string text;
    std::optional<FileId> id;  // set when the input is a regular file (stdin redirected from one too)
};

// Reads `path` ("-": standard input) in chunks, whatever it is (regular file, FIFO, device, terminal),
// and stops with a FileError once it holds more than `limit` bytes: /dev/zero or an endless pipe is
// refused, not read into memory. `name` is how messages call it.
Input read_input(const std::string& path, const std::string& name, std::size_t limit);

struct Output {
    std::string path;
    std::string content;
};

// Writes every output, or throws a FileError having replaced none of the regular files:
// - an output that resolves to `input` (the spec, through any symlink or hard link) is refused;
// - a regular file (or a new one) is written to a temporary file in its own directory, then all
//   temporaries are renamed over their targets together; a symlink is followed and stays a symlink;
//   an existing file keeps its permissions; an interrupted or failed write leaves no temporary behind;
// - a file whose content is already `content` is left untouched (so that what includes it is not
//   rebuilt); it is compared without reading more than its size, and only if sizes match;
// - anything else (a FIFO, a terminal, /dev/null, /dev/full, /dev/stdout) is written straight
//   through, never read, after the regular files.
// Returns the outputs that were written (not left untouched).
std::vector<std::string> write_outputs(const std::vector<Output>& outputs, const std::optional<FileId>& input,
                                       const std::string& input_name);

// Whether write_outputs() would write `path` straight through (not a regular file, or under /dev or
// /proc).
bool writes_through(const std::string& path);

// Writes all of `content` to standard output, or throws a FileError ("standard output: ...").
void write_stdout(const std::string& content);

// Removes this process's temporary files on SIGINT, SIGTERM and SIGHUP before dying of the signal,
// and turns SIGXFSZ (a file size ulimit) into an EFBIG write error. Call once at start.
void install_signal_cleanup();

}  // namespace fsmgen::cli
