// The request framer (http/request_framer.hpp) byte by byte: where a request ends, what is
// refused and with which status, whatever way the bytes are split.

#include "http/request_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::http {
namespace {

struct Fed {
    RequestFramer::State state;
    std::size_t used = 0;
};

// Feeds `bytes` in pieces of `piece` bytes until a request is complete or refused (the rest
// stays unread, as a connection keeps it for the next request).
Fed feedInPieces(RequestFramer& f, std::string_view bytes, std::size_t piece) {
    std::size_t used = 0;
    while (used < bytes.size()) {
        const auto n = f.feed(bytes.substr(used, std::min(piece, bytes.size() - used)));
        used += n;
        if (f.state() == RequestFramer::State::Complete || f.state() == RequestFramer::State::Failed || n == 0) break;
    }
    return {f.state(), used};
}

TEST(RequestFramer, FramesAContentLengthBodyAndLeavesThePipelinedRequest) {
    const std::string first = "POST /api/v1/frontends HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
    const std::string second = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    for (const std::size_t piece : {std::size_t{1}, std::size_t{3}, std::size_t{7}, first.size() + second.size()}) {
        SCOPED_TRACE("pieces of " + std::to_string(piece));
        RequestFramer f;
        const auto fed = feedInPieces(f, first + second, piece);
        ASSERT_EQ(fed.state, RequestFramer::State::Complete);
        EXPECT_EQ(fed.used, first.size()) << "the second request is not consumed";
        EXPECT_EQ(f.head().method, "POST");
        EXPECT_EQ(f.head().target, "/api/v1/frontends");
        EXPECT_EQ(f.body(), "hello");
        f.reset();
        EXPECT_EQ(f.feed(second), second.size());
        EXPECT_EQ(f.state(), RequestFramer::State::Complete);
        EXPECT_EQ(f.head().target, "/healthz");
    }
}

TEST(RequestFramer, DecodesChunkedBodiesAndDropsTrailers) {
    const std::string request =
        "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: y\r\n\r\nGET";
    for (const std::size_t piece : {std::size_t{1}, std::size_t{4}, request.size()}) {
        RequestFramer f;
        const auto fed = feedInPieces(f, request, piece);
        ASSERT_EQ(fed.state, RequestFramer::State::Complete) << f.error().message;
        EXPECT_EQ(f.body(), "hello world");
        EXPECT_EQ(fed.used, request.size() - 3) << "the next request's bytes stay";
    }
}

TEST(RequestFramer, KeepAliveFollowsTheVersionAndConnection) {
    struct Case {
        std::string request;
        bool keep_alive;
    };
    for (const auto& c : std::vector<Case>{
             {"GET / HTTP/1.1\r\n\r\n", true},
             {"GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false},
             {"GET / HTTP/1.1\r\nConnection: upgrade, Close\r\n\r\n", false},
             {"GET / HTTP/1.0\r\n\r\n", false},
             {"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true},
         }) {
        RequestFramer f;
        f.feed(c.request);
        ASSERT_EQ(f.state(), RequestFramer::State::Complete) << c.request;
        EXPECT_EQ(f.head().keep_alive, c.keep_alive) << c.request;
    }
}

TEST(RequestFramer, RefusesAmbiguousFramingWithItsStatus) {
    struct Case {
        const char* what;
        std::string request;
        int status;
    };
    const std::vector<Case> cases = {
        {"negative length", "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
        {"signed length", "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\nhello", 400},
        {"length list", "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello", 400},
        {"repeated length", "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400},
        {"conflicting lengths", "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 400},
        {"hex length", "POST / HTTP/1.1\r\nContent-Length: 0x5\r\n\r\nhello", 400},
        {"huge length", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
        {"both headers", "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        {"both headers, other order", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
         400},
        {"gzip coding", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
        {"chunked twice", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 501},
        {"chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
        {"NUL in a value", std::string("GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n", 28), 400},
        {"bare CR in a value", "GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", 400},
        {"bare LF ending a line", "GET / HTTP/1.1\nHost: x\r\n\r\n", 400},
        {"obsolete folding", "GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n", 400},
        {"space before the colon", "GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\nhello", 400},
        {"no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400},
        {"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
        {"bad method", "G(T / HTTP/1.1\r\n\r\n", 400},
        {"control in the target", "GET /a\x01 HTTP/1.1\r\n\r\n", 400},
        {"HTTP/2.0", "GET / HTTP/2.0\r\n\r\n", 505},
        {"no version", "GET /\r\n\r\n", 400},
        {"double space", "GET  / HTTP/1.1\r\n\r\n", 400},
        {"bad chunk size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
        {"chunk longer than its size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400},
        {"body over the limit", "POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n", 413},
        {"chunk over the limit", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n", 413},
        {"a field line over 8 KiB", "GET / HTTP/1.1\r\nX-A: " + std::string(9000, 'a') + "\r\n\r\n", 431},
        {"request line too long", "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n", 414},
    };
    FramingLimits limits;
    limits.max_body = 1000;
    limits.max_request_line = 16000;
    for (const auto& c : cases) {
        for (const std::size_t piece : {std::size_t{1}, c.request.size()}) {
            SCOPED_TRACE(std::string(c.what) + ", pieces of " + std::to_string(piece));
            RequestFramer f(limits);
            const auto fed = feedInPieces(f, c.request, piece);
            ASSERT_EQ(fed.state, RequestFramer::State::Failed);
            EXPECT_EQ(f.error().status, c.status) << f.error().message;
            EXPECT_EQ(f.feed("GET / HTTP/1.1\r\n\r\n"), 0u) << "nothing is read after a refusal";
        }
    }
}

TEST(RequestFramer, SkipsEmptyLinesBeforeARequestAndKeepsItsStart) {
    RequestFramer f;
    const std::string request = "\r\n\r\nGET /bbb/k/bigbluebutton/api HTTP/1.1\r\n\r\n";
    EXPECT_EQ(f.feed(request), request.size());
    EXPECT_EQ(f.state(), RequestFramer::State::Complete);
    EXPECT_EQ(classifyRequestStart(f.requestStart()), RequestTarget::Bbb);
    RequestFramer idle;
    idle.feed("\r\n");
    EXPECT_FALSE(idle.started()) << "empty lines are not a request yet";
}

TEST(RequestFramer, StopsAtTheEndOfTheHeadSoTheCallerCanAnswerContinue) {
    RequestFramer f;
    const std::string head = "PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
    EXPECT_EQ(f.feed(head), head.size());
    ASSERT_EQ(f.state(), RequestFramer::State::Body);
    EXPECT_TRUE(f.head().expect_continue);
    EXPECT_EQ(f.announcedBody(), 3u);
    EXPECT_EQ(f.feed("abcdef"), 3u);
    EXPECT_EQ(f.state(), RequestFramer::State::Complete);
    EXPECT_EQ(f.body(), "abc");
}

}  // namespace
}  // namespace b3s::core::http
