#include "http/connection_socket.hpp"

#include <Poco/Net/NetException.h>

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace b3s::core::http {

namespace {

class ListeningSocketImpl final : public Poco::Net::ServerSocketImpl {
public:
    // POCO's own accept, except for the kind of socket it returns and the local address it
    // learns once for the connection's lifetime.
    Poco::Net::SocketImpl* acceptConnection(Poco::Net::SocketAddress& client) override {
        if (sockfd() == POCO_INVALID_SOCKET) throw Poco::Net::InvalidSocketException();
        sockaddr_storage peer{};
        socklen_t peer_length = sizeof peer;
        int fd = -1;
        do {
            fd = ::accept(sockfd(), reinterpret_cast<sockaddr*>(&peer), &peer_length);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0) error();  // throws the exception POCO's accept would
        sockaddr_storage local{};
        socklen_t local_length = sizeof local;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_length) != 0) {
            const int code = errno;
            ::close(fd);
            error(code);
        }
        client = Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&peer), peer_length);
        return new ConnectionSocketImpl(
            fd, client, Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&local), local_length));
    }

protected:
    ~ListeningSocketImpl() override = default;
};

}  // namespace

ConnectionSocketImpl::ConnectionSocketImpl(poco_socket_t fd, const Poco::Net::SocketAddress& peer,
                                           const Poco::Net::SocketAddress& local)
    : StreamSocketImpl(fd), peer_(peer), local_(local) {}

int ConnectionSocketImpl::receiveBytes(void* buffer, int length, int flags) {
    const int n = StreamSocketImpl::receiveBytes(buffer, length, flags);
    if (n > 0 && captured_ < start_.size() && (flags & MSG_PEEK) == 0) {
        const auto take = std::min(start_.size() - captured_, static_cast<std::size_t>(n));
        std::memcpy(start_.data() + captured_, buffer, take);
        captured_ += take;
    }
    return n;
}

ListeningSocket::ListeningSocket() : ServerSocket(new ListeningSocketImpl, true) {}

}  // namespace b3s::core::http
