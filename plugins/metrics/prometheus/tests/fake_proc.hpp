#pragma once
// A fake procfs tree in a temp dir: <root>/self/{stat,status,limits,fd/} and <root>/stat.

#include <temp_dir.hpp>

#include <string>

namespace b3s::metrics::prometheus::testing {

// utime 250 + stime 120 ticks, 7 threads, started 123456 ticks after boot, vsize 987654321.
// The command name contains spaces and a ')' on purpose.
inline constexpr const char* kStat =
    "4242 (b3s (worker) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 120 0 0 20 0 7 0 123456 987654321 2000 "
    "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
inline constexpr const char* kStatus =
    "Name:\tb3scaled\nState:\tS (sleeping)\nVmPeak:\t  965432 kB\nVmSize:\t  964512 kB\nVmRSS:\t    5120 kB\n"
    "Threads:\t7\n";
inline constexpr const char* kLimits =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max open files            1024                 4096                 files     \n"
    "Max locked memory         8388608              8388608              bytes     \n";
inline constexpr const char* kSystemStat = "cpu  1 2 3 4\nintr 1\nctxt 99\nbtime 1700000000\nprocesses 5\n";

struct FakeProc {
    test::TempDir dir{"b3s-fake-proc"};

    FakeProc() {
        dir.write("self/stat", kStat);
        dir.write("self/status", kStatus);
        dir.write("self/limits", kLimits);
        dir.write("stat", kSystemStat);
        for (int fd = 0; fd < 5; ++fd) dir.write("self/fd/" + std::to_string(fd), "");
    }
};

}  // namespace b3s::metrics::prometheus::testing
