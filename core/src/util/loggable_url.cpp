#include "util/loggable_url.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace b3s::core {

std::string loggableUrl(std::string_view url) {
    try {
        const Poco::URI uri{std::string(url)};
        std::string out = uri.getScheme() + "://";
        if (!uri.getUserInfo().empty()) out += "***@";
        const auto& host = uri.getHost();
        out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
        if (const auto port = uri.getSpecifiedPort(); port != 0) out += ":" + std::to_string(port);
        return out + uri.getPath();
    } catch (const Poco::Exception&) {
        return "(unparsable URL)";
    }
}

}  // namespace b3s::core
