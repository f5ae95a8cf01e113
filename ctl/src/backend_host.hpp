#pragma once
// How b3scalectl reads a backend host on the command line. A backend is stored under its
// full BBB API URL (`https://bbb1.example.org/bigbluebutton/api/`); operators may type just
// `https://bbb1.example.org` (b3scale's own docs do), so a host without
// `/bigbluebutton/api` gets it appended, and a trailing `/` is added as b3scale does.

#include <string>

namespace b3s::ctl {

/// The stored form of `host`. Throws UsageError when it does not start with http:// or
/// https://.
std::string normaliseBackendHost(const std::string& host);

}  // namespace b3s::ctl
