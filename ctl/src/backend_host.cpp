#include "backend_host.hpp"

#include "ctl_error.hpp"

namespace b3s::ctl {

std::string normaliseBackendHost(const std::string& host) {
    const bool http = host.rfind("http://", 0) == 0 || host.rfind("https://", 0) == 0;
    const auto authority = host.find("://") + 3;
    if (!http || host.find_first_of(" \t\r\n") != std::string::npos || authority >= host.size() ||
        host[authority] == '/')
        throw UsageError("a backend host must be an http:// or https:// URL like https://bbb1.example.org, got '" +
                         host + "'");
    std::string out = host;
    while (out.back() == '/') out.pop_back();
    const std::string api = "/bigbluebutton/api";
    if (out.size() < authority + api.size() || out.compare(out.size() - api.size(), api.size(), api) != 0) out += api;
    return out + "/";
}

}  // namespace b3s::ctl
