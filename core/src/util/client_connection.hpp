#pragma once
// What b3scalectl and b3scaleagent share as clients of b3scaled's REST API: the TLS context
// (system CAs, the peer verified, no interactive certificate prompt — POCO's default handler
// would ask on the console) and a short reason when b3scaled cannot be reached.

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>

#include <string>

namespace b3s::core::util {

/// One process-wide context; SSL is initialised on the first call. Thread-safe.
Poco::Net::Context::Ptr verifyingClientTls();

/// "connection refused", "no answer in time", "host not found", else POCO's text.
std::string unreachableReason(const Poco::Exception& e);

}  // namespace b3s::core::util
