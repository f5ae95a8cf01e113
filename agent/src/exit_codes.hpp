#pragma once
// b3scaleagent's exit codes (sysexits.h), which its systemd unit reads: 0 after SIGTERM/SIGINT,
// 64 a wrong command line, 69 b3scaled refused this agent for good (restarting does not help),
// 78 a configuration error (restarting does not help either).

namespace b3s::agent {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 64;        ///< EX_USAGE
inline constexpr int kExitUnavailable = 69;  ///< EX_UNAVAILABLE: refused by b3scaled
inline constexpr int kExitConfig = 78;       ///< EX_CONFIG

}  // namespace b3s::agent
