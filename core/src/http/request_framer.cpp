#include "http/request_framer.hpp"

#include <algorithm>
#include <charconv>

namespace b3s::core::http {
namespace {

constexpr std::size_t kMaxMethodLength = 32;
constexpr std::size_t kRequestStartBytes = 96;
/// A chunk-size line (hex digits and extensions) and each trailer line.
constexpr std::size_t kMaxChunkLine = 4096;

// The same characters as Poco::Ascii::isSpace, for classifyRequestStart.
bool isSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// RFC 9110 tchar.
bool isTokenChar(char c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) noexcept {
    return !s.empty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

char lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Whether the comma-separated `list` holds `token` (case-insensitive), as Connection does.
bool listHas(std::string_view list, std::string_view token) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        if (equalsNoCase(trim(list.substr(0, comma)), token)) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

}  // namespace

RequestTarget classifyRequestStart(std::string_view bytes) noexcept {
    std::size_t i = 0;
    while (i < bytes.size() && isSpace(bytes[i])) ++i;
    const std::size_t method_start = i;
    while (i < bytes.size() && !isSpace(bytes[i])) ++i;
    if (i == bytes.size()) return RequestTarget::Undecided;
    if (i - method_start > kMaxMethodLength) return RequestTarget::Other;
    while (i < bytes.size() && isSpace(bytes[i])) ++i;
    const std::string_view uri = bytes.substr(i);
    if (uri.size() >= kBbbPathPrefix.size())
        return uri.starts_with(kBbbPathPrefix) ? RequestTarget::Bbb : RequestTarget::Other;
    return kBbbPathPrefix.starts_with(uri) ? RequestTarget::Undecided : RequestTarget::Other;
}

RequestFramer::RequestFramer(FramingLimits limits) : limits_(limits) {}

void RequestFramer::reset() {
    state_ = State::Head;
    head_ = RequestHead{};
    body_.clear();
    error_ = FramingError{};
    line_.clear();
    start_.clear();
    started_ = false;
    have_request_line_ = false;
    header_bytes_ = 0;
    chunk_step_ = ChunkStep::Size;
    chunk_left_ = 0;
}

void RequestFramer::fail(int status, std::string message) {
    state_ = State::Failed;
    error_ = {status, std::move(message)};
}

std::size_t RequestFramer::feed(std::string_view bytes) {
    switch (state_) {
        case State::Head: return feedHead(bytes);
        case State::Body: return feedBody(bytes);
        default: return 0;
    }
}

std::size_t RequestFramer::feedHead(std::string_view bytes) {
    std::size_t used = 0;
    while (used < bytes.size() && state_ == State::Head) {
        const char c = bytes[used++];
        if (!started_ && line_.empty() && (c == '\r' || c == '\n')) {
            // Empty lines before a request line are skipped (RFC 9112 §2.2), CRLF pairs only.
            if (c == '\n') {
                fail(400, "a bare LF before the request line");
                break;
            }
            if (used == bytes.size()) {
                line_.push_back(c);  // the LF comes with the next read
                break;
            }
            if (bytes[used] != '\n') {
                fail(400, "a bare CR before the request line");
                break;
            }
            ++used;
            continue;
        }
        if (!started_ && line_ == "\r") {
            line_.clear();
            if (c != '\n') {
                fail(400, "a bare CR before the request line");
                break;
            }
            continue;
        }
        started_ = true;
        if (start_.size() < kRequestStartBytes) start_.push_back(c);
        if (c == '\0') {
            fail(400, "a NUL byte in the request head");
            break;
        }
        if (!line_.empty() && line_.back() == '\r') {
            if (c != '\n') {
                fail(400, "a bare CR in the request head");
                break;
            }
            line_.pop_back();
            const std::string line = std::move(line_);
            line_.clear();
            if (!have_request_line_) {
                if (!parseRequestLine(line)) break;
                have_request_line_ = true;
            } else if (line.empty()) {
                finishHead();
            } else if (!parseField(line)) {
                break;
            }
            continue;
        }
        if (c == '\n') {
            fail(400, "a bare LF in the request head (lines end with CRLF)");
            break;
        }
        line_.push_back(c);
        if (!have_request_line_) {
            if (line_.size() > limits_.max_request_line + 1) fail(414, "the request line is too long");
        } else if (line_.size() > limits_.max_field_line + 1 ||
                   header_bytes_ + line_.size() > limits_.max_header_bytes + 1) {
            fail(431, "the request header fields are too large");
        }
    }
    if (state_ == State::Body) return used + feedBody(bytes.substr(used));
    return used;
}

bool RequestFramer::parseRequestLine(std::string_view line) {
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
        fail(400, "the request line is not METHOD SP target SP version");
        return false;
    }
    const auto method = line.substr(0, sp1);
    const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const auto version = line.substr(sp2 + 1);
    if (!isToken(method) || method.size() > kMaxMethodLength) {
        fail(400, "the request method is not a token");
        return false;
    }
    if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return u <= 0x20 || u == 0x7f;
        })) {
        fail(400, "the request target is empty or holds control characters");
        return false;
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        if (version.size() == 8 && version.starts_with("HTTP/") && version[6] == '.')
            fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
        else
            fail(400, "the request line has no valid HTTP version");
        return false;
    }
    head_.method.assign(method);
    head_.target.assign(target);
    head_.version.assign(version);
    head_.keep_alive = version == "HTTP/1.1";
    return true;
}

bool RequestFramer::parseField(std::string_view line) {
    header_bytes_ += line.size() + 2;
    if (header_bytes_ > limits_.max_header_bytes) {
        fail(431, "the request header fields are too large");
        return false;
    }
    if (head_.fields.size() >= limits_.max_fields) {
        fail(431, "too many request header fields");
        return false;
    }
    if (line.front() == ' ' || line.front() == '\t') {
        fail(400, "obsolete line folding in a header field");
        return false;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
        fail(400, "a header field without a valid name and colon");
        return false;
    }
    const auto name = line.substr(0, colon);
    const auto value = trim(line.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\t') || u == 0x7f;
        })) {
        fail(400, "a control character in a header field value");
        return false;
    }
    if (equalsNoCase(name, "Content-Length")) {
        if (head_.content_length) {
            fail(400, "Content-Length more than once");
            return false;
        }
        std::uint64_t length = 0;
        const auto* end = value.data() + value.size();
        const auto [ptr, ec] = std::from_chars(value.data(), end, length);
        if (value.empty() || value.size() > 19 || ec != std::errc{} || ptr != end ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            fail(400, "Content-Length is not a number of bytes");
            return false;
        }
        head_.content_length = length;
    } else if (equalsNoCase(name, "Transfer-Encoding")) {
        if (head_.chunked || !equalsNoCase(value, "chunked")) {
            fail(501, "the only transfer coding served is chunked, once");
            return false;
        }
        head_.chunked = true;
    } else if (equalsNoCase(name, "Host")) {
        if (std::any_of(head_.fields.begin(), head_.fields.end(),
                        [](const auto& f) { return equalsNoCase(f.first, "Host"); })) {
            fail(400, "Host more than once");
            return false;
        }
    } else if (equalsNoCase(name, "Connection")) {
        if (listHas(value, "close")) head_.keep_alive = false;
        if (listHas(value, "keep-alive") && head_.version == "HTTP/1.0") head_.keep_alive = true;
    } else if (equalsNoCase(name, "Expect")) {
        if (equalsNoCase(value, "100-continue")) head_.expect_continue = true;
    }
    head_.fields.emplace_back(std::string(name), std::string(value));
    return true;
}

void RequestFramer::finishHead() {
    if (head_.chunked && head_.content_length) {
        fail(400, "both Content-Length and Transfer-Encoding");
        return;
    }
    if (head_.chunked && head_.version == "HTTP/1.0") {
        fail(400, "Transfer-Encoding in an HTTP/1.0 request");
        return;
    }
    if (head_.content_length && *head_.content_length > limits_.max_body) {
        fail(413, "the request body is too large");
        return;
    }
    if (head_.content_length) body_.reserve(static_cast<std::size_t>(*head_.content_length));
    state_ = (head_.chunked || head_.content_length.value_or(0) > 0) ? State::Body : State::Complete;
}

std::size_t RequestFramer::feedBody(std::string_view bytes) {
    if (state_ != State::Body) return 0;
    if (head_.chunked) return feedChunked(bytes);
    const auto wanted = static_cast<std::size_t>(*head_.content_length) - body_.size();
    const auto take = std::min(wanted, bytes.size());
    body_.append(bytes.substr(0, take));
    if (body_.size() == *head_.content_length) state_ = State::Complete;
    return take;
}

std::size_t RequestFramer::feedChunked(std::string_view bytes) {
    std::size_t used = 0;
    while (used < bytes.size() && state_ == State::Body) {
        if (chunk_step_ == ChunkStep::Data) {
            const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_left_, bytes.size() - used));
            body_.append(bytes.substr(used, take));
            used += take;
            chunk_left_ -= take;
            if (chunk_left_ == 0) chunk_step_ = ChunkStep::DataEnd;
            continue;
        }
        const char c = bytes[used++];
        if (c == '\0') {
            fail(400, "a NUL byte in the chunked framing");
            break;
        }
        if (!line_.empty() && line_.back() == '\r') {
            if (c != '\n') {
                fail(400, "a bare CR in the chunked framing");
                break;
            }
            line_.pop_back();
            const std::string line = std::move(line_);
            line_.clear();
            if (chunk_step_ == ChunkStep::DataEnd) {
                if (!line.empty()) {
                    fail(400, "a chunk longer than its size");
                    break;
                }
                chunk_step_ = ChunkStep::Size;
            } else if (chunk_step_ == ChunkStep::Size) {
                const auto digits = std::string_view(line).substr(0, line.find(';'));
                std::uint64_t size = 0;
                const auto* end = digits.data() + digits.size();
                const auto [ptr, ec] = std::from_chars(digits.data(), end, size, 16);
                if (digits.empty() || digits.size() > 15 || ec != std::errc{} || ptr != end) {
                    fail(400, "a chunk size that is not a hexadecimal number");
                    break;
                }
                if (size > limits_.max_body - std::min<std::size_t>(body_.size(), limits_.max_body)) {
                    fail(413, "the request body is too large");
                    break;
                }
                chunk_left_ = size;
                chunk_step_ = size == 0 ? ChunkStep::Trailer : ChunkStep::Data;
            } else if (line.empty()) {
                state_ = State::Complete;  // the empty line after the trailers
            } else {
                header_bytes_ += line.size() + 2;
                if (header_bytes_ > limits_.max_header_bytes) {
                    fail(431, "the request trailer fields are too large");
                    break;
                }
            }
            continue;
        }
        if (c == '\n') {
            fail(400, "a bare LF in the chunked framing");
            break;
        }
        line_.push_back(c);
        if (line_.size() > kMaxChunkLine) {
            fail(400, "a chunk line is too long");
            break;
        }
    }
    return used;
}

}  // namespace b3s::core::http
