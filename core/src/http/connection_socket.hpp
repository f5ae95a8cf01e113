#pragma once
// The sockets of the HTTP listener, specialised for what HttpConnection needs per request.
//
// POCO builds every request with the connection's two addresses, asked from the kernel each
// time (getpeername and getsockname: two of the handful of system calls a keep-alive join
// costs). A connection's addresses never change, so its socket learns them once, at accept.
// It also keeps the first bytes of each request as they are received, which tell which API
// a request head that POCO refuses to parse was meant for (HttpConnection::serveRequest).

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocketImpl.h>

#include <array>
#include <cstddef>
#include <string_view>

namespace b3s::core::http {

/// One accepted connection. Only its connection's thread receives on it.
class ConnectionSocketImpl final : public Poco::Net::StreamSocketImpl {
public:
    /// How many bytes of a request's start are kept.
    static constexpr std::size_t kRequestStartBytes = 64;

    ConnectionSocketImpl(poco_socket_t fd, const Poco::Net::SocketAddress& peer, const Poco::Net::SocketAddress& local);

    Poco::Net::SocketAddress address() override { return local_; }
    Poco::Net::SocketAddress peerAddress() override { return peer_; }

    using StreamSocketImpl::receiveBytes;
    int receiveBytes(void* buffer, int length, int flags = 0) override;

    /// The bytes received from now on begin a request: keep the first kRequestStartBytes.
    void captureRequestStart() noexcept { captured_ = 0; }
    /// What was kept since captureRequestStart(), at most kRequestStartBytes.
    std::string_view requestStart() const noexcept { return {start_.data(), captured_}; }

private:
    const Poco::Net::SocketAddress peer_;
    const Poco::Net::SocketAddress local_;
    std::array<char, kRequestStartBytes> start_{};
    std::size_t captured_ = kRequestStartBytes;  // nothing kept until asked
};

/// The listening socket: every connection it accepts is a ConnectionSocketImpl.
class ListeningSocket final : public Poco::Net::ServerSocket {
public:
    ListeningSocket();
};

}  // namespace b3s::core::http
