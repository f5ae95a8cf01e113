#pragma once
// A client on a plain TCP socket for tests of the HTTP front: it sends bytes exactly as given
// (split as the test wants) and parses answers itself, so a test decides the exact bytes on
// the wire and sees exactly what came back.

#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace b3s::test {

struct RawResponse {
    std::string version;  ///< of the status line
    int status = 0;
    std::map<std::string, std::string> headers;  ///< names in lower case
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// A client on a plain TCP socket: sends bytes exactly as given, parses answers itself.
class RawClient {
public:
    explicit RawClient(Poco::UInt16 port) {
        socket_.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(5, 0));
        socket_.setReceiveTimeout(Poco::Timespan(10, 0));
        socket_.setSendTimeout(Poco::Timespan(10, 0));
    }

    void send(std::string_view bytes) {
        while (!bytes.empty()) {
            int n = socket_.sendBytes(bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 64 * 1024)));
            ASSERT_GT(n, 0);
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    /// Sends `bytes` in pieces of `piece` bytes, each its own TCP segment, waiting a little
    /// between them so that the server reads them one at a time.
    void sendInPieces(std::string_view bytes, std::size_t piece) {
        socket_.setNoDelay(true);
        while (!bytes.empty()) {
            const auto n = std::min(piece, bytes.size());
            send(bytes.substr(0, n));
            bytes.remove_prefix(n);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    /// Sends all of `bytes`; throws Poco::Exception when the server resets the connection.
    void sendRaw(std::string_view bytes) {
        while (!bytes.empty()) {
            const int n = socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
            if (n <= 0) throw Poco::Net::ConnectionResetException("send returned " + std::to_string(n));
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    std::string localAddress() const { return socket_.address().toString(); }

    /// The next answer (a 100 Continue included); nullopt when the server closed first.
    std::optional<RawResponse> read() {
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return std::nullopt;
        RawResponse r;
        const std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end + 4);
        std::size_t line_end = head.find("\r\n");
        const std::string status_line = head.substr(0, line_end);
        r.version = status_line.substr(0, status_line.find(' '));
        r.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
        while (line_end != std::string::npos) {
            std::size_t next = head.find("\r\n", line_end + 2);
            std::string line =
                head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
            auto colon = line.find(':');
            if (colon != std::string::npos)
                r.headers[Poco::toLower(line.substr(0, colon))] = Poco::trim(line.substr(colon + 1));
            line_end = next;
        }
        if (r.status < 200) return r;
        if (r.headers.contains("content-length")) {
            const auto length = std::stoul(r.headers["content-length"]);
            while (buffer_.size() < length)
                if (!fill()) return std::nullopt;
            r.body = buffer_.substr(0, length);
            buffer_.erase(0, length);
        } else {
            while (fill()) {
            }
            r.body.swap(buffer_);
        }
        return r;
    }

    /// True when the server closes the connection (within the receive timeout) without
    /// sending anything more.
    bool closedByServer() {
        if (!buffer_.empty()) return false;
        char c;
        try {
            return socket_.receiveBytes(&c, 1) == 0;
        } catch (const Poco::Net::ConnectionResetException&) {
            return true;
        }
    }

private:
    bool fill() {
        char chunk[16 * 1024];
        int n = socket_.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    Poco::Net::StreamSocket socket_;
    std::string buffer_;
};

}  // namespace b3s::test
