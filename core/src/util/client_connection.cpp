#include "util/client_connection.hpp"

#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <mutex>

namespace b3s::core::util {

Poco::Net::Context::Ptr verifyingClientTls() {
    static std::once_flag once;
    static Poco::Net::Context::Ptr context;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                         Poco::Net::Context::VERIFY_RELAXED, 9, true);
        Poco::SharedPtr<Poco::Net::InvalidCertificateHandler> reject = new Poco::Net::RejectCertificateHandler(false);
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
    });
    return context;
}

std::string unreachableReason(const Poco::Exception& e) {
    if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e)) return "connection refused";
    if (dynamic_cast<const Poco::TimeoutException*>(&e)) return "no answer in time";
    if (dynamic_cast<const Poco::Net::HostNotFoundException*>(&e) ||
        dynamic_cast<const Poco::Net::NoAddressFoundException*>(&e))
        return "host not found";
    return e.displayText();
}

}  // namespace b3s::core::util
