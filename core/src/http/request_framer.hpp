#pragma once
// The one reader of HTTP/1.1 request framing (RFC 9112), fed the bytes of a connection as they
// arrive. It decides where a request ends, strictly, so that b3scaled and any proxy in front of
// it can never disagree about it (request smuggling):
//  - request line `METHOD SP target SP HTTP/1.x CRLF`, a token method, a target without
//    controls or spaces, leading empty lines skipped; CRLF line ends only (a bare CR or LF,
//    a NUL anywhere in the head, obsolete line folding, space before a field's colon: 400);
//  - Content-Length: digits only, once (a sign, a list, a repetition, even of the same value,
//    or one over the body limit: refused); Transfer-Encoding: exactly `chunked`, only in
//    HTTP/1.1, never together with Content-Length (other codings: 501); chunked bodies are
//    decoded here, trailers read and dropped;
//  - limits on the request line, the header block, the number of fields and the body.
// A refused request ends the connection: after an error nothing more is read.
//
// Not thread-safe; one per connection. Pure: no I/O, no clock.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::core::http {

/// The path prefix of the BBB API gateway (the route app::ServerApp registers for it). A
/// refused request whose target starts with it gets an answer in BBB's shape.
inline constexpr std::string_view kBbbPathPrefix = "/bbb/";

/// Which API a request was meant for, judged from the first bytes of its request line.
enum class RequestTarget {
    Bbb,        ///< "<METHOD> /bbb/…"
    Other,      ///< any other request line
    Undecided,  ///< the bytes end before the answer is known (treated as Other)
};

/// Classifies the start of a request: leading white space is skipped, the method is a run of
/// at most 32 non-space characters, white space, then the target. Pure, never fails.
RequestTarget classifyRequestStart(std::string_view bytes) noexcept;

struct FramingLimits {
    std::size_t max_request_line = 16 * 1024 + 64;  ///< bytes, without the CRLF
    std::size_t max_field_line = 8 * 1024;          ///< one field line (nginx's default too)
    std::size_t max_header_bytes = 64 * 1024;       ///< the field lines together
    std::size_t max_fields = 100;
    std::size_t max_body = 32 * 1024 * 1024;  ///< Content-Length, or the decoded chunked size
};

struct RequestHead {
    std::string method;
    std::string target;
    std::string version;                                      ///< "HTTP/1.0" or "HTTP/1.1"
    std::vector<std::pair<std::string, std::string>> fields;  ///< in order, values trimmed
    std::optional<std::uint64_t> content_length;              ///< absent: no body (or chunked)
    bool chunked = false;
    bool keep_alive = true;  ///< HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
    bool expect_continue = false;
};

/// Why a request was refused: the status and a sentence for the client.
struct FramingError {
    int status = 400;  ///< 400, 413, 414, 431, 501, 505
    std::string message;
};

class RequestFramer {
public:
    enum class State {
        Head,      ///< reading the request line and header fields
        Body,      ///< the head is complete (head() valid), reading the body
        Complete,  ///< a whole request: head() and body(); reset() for the next one
        Failed,    ///< refused: error(); the connection must end
    };

    explicit RequestFramer(FramingLimits limits = {});

    /// Consumes what it can of `bytes` and returns how many it used: never more than the current
    /// request needs, so what follows (a pipelined request) stays with the caller. Stops at
    /// the end of the head too (state Body), so the caller may look at it before the body
    /// (Expect: 100-continue, a body budget).
    std::size_t feed(std::string_view bytes);

    State state() const noexcept { return state_; }
    const RequestHead& head() const noexcept { return head_; }
    /// The body so far (whole once Complete); chunked bodies decoded.
    std::string& body() noexcept { return body_; }
    const FramingError& error() const noexcept { return error_; }
    /// Whether any byte of the current request arrived (empty lines before it do not count).
    bool started() const noexcept { return started_; }
    /// Bytes the body will still need, when known (Content-Length), for budgets.
    std::uint64_t announcedBody() const noexcept { return head_.content_length.value_or(0); }
    /// The first bytes of the current request, for classifyRequestStart() of a refused one.
    std::string_view requestStart() const noexcept { return start_; }

    /// Ready for the next request of the connection.
    void reset();

private:
    enum class ChunkStep { Size, Data, DataEnd, Trailer };

    std::size_t feedHead(std::string_view bytes);
    std::size_t feedBody(std::string_view bytes);
    std::size_t feedChunked(std::string_view bytes);
    bool parseRequestLine(std::string_view line);
    bool parseField(std::string_view line);
    void finishHead();
    void fail(int status, std::string message);

    FramingLimits limits_;
    State state_ = State::Head;
    RequestHead head_;
    std::string body_;
    FramingError error_;
    std::string line_;   ///< the line being read (head, chunk sizes, trailers)
    std::string start_;  ///< first bytes of the request
    bool started_ = false;
    bool have_request_line_ = false;
    std::size_t header_bytes_ = 0;
    // Chunked decoding.
    ChunkStep chunk_step_ = ChunkStep::Size;
    std::uint64_t chunk_left_ = 0;
};

}  // namespace b3s::core::http
