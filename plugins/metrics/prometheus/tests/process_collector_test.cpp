#include "process_collector.hpp"

#include "fake_proc.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

namespace b3s::metrics::prometheus {
namespace {

using testing::FakeProc;

TEST(ProcessCollector, ReadsExactValuesFromFakeProc) {
    FakeProc proc;
    ProcessStats stats = ProcessCollector(proc.dir.path(), 100).collect();
    EXPECT_TRUE(stats.failures.empty()) << stats.failures.front();
    EXPECT_EQ(stats.cpu_seconds, 3.7);
    EXPECT_EQ(stats.resident_bytes, 5120u * 1024u);
    EXPECT_EQ(stats.virtual_bytes, 987654321u);
    EXPECT_EQ(stats.open_fds, 5u);
    EXPECT_EQ(stats.max_fds, 1024.0);
    EXPECT_EQ(stats.start_time_seconds, 1700000000.0 + 1234.56);
    EXPECT_EQ(stats.threads, 7u);
}

TEST(ProcessCollector, UsesTheGivenTickRate) {
    FakeProc proc;
    ProcessStats stats = ProcessCollector(proc.dir.path(), 1000).collect();
    EXPECT_EQ(stats.cpu_seconds, 0.37);
    EXPECT_EQ(stats.start_time_seconds, 1700000000.0 + 123.456);
}

TEST(ProcessCollector, ReportsEachUnreadableFileAndKeepsTheRest) {
    struct Case {
        int line;
        std::string remove;  // relative to the fake root
        std::string failure_contains;
        bool cpu, rss, vsz, fds, max_fds, start, threads;  // which figures survive
    };
    const std::vector<Case> cases = {
        {__LINE__, "self/stat", "self/stat", false, true, false, true, true, false, false},
        {__LINE__, "self/status", "self/status", true, false, true, true, true, true, true},
        {__LINE__, "self/limits", "self/limits", true, true, true, true, false, true, true},
        {__LINE__, "self/fd", "self/fd", true, true, true, false, true, true, true},
        {__LINE__, "stat", "stat", true, true, true, true, true, false, true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": without " + c.remove);
        FakeProc proc;
        std::filesystem::remove_all(proc.dir / c.remove);
        ProcessStats stats = ProcessCollector(proc.dir.path(), 100).collect();
        ASSERT_EQ(stats.failures.size(), 1u);
        EXPECT_NE(stats.failures[0].find(c.failure_contains), std::string::npos) << stats.failures[0];
        EXPECT_EQ(stats.cpu_seconds.has_value(), c.cpu);
        EXPECT_EQ(stats.resident_bytes.has_value(), c.rss);
        EXPECT_EQ(stats.virtual_bytes.has_value(), c.vsz);
        EXPECT_EQ(stats.open_fds.has_value(), c.fds);
        EXPECT_EQ(stats.max_fds.has_value(), c.max_fds);
        EXPECT_EQ(stats.start_time_seconds.has_value(), c.start);
        EXPECT_EQ(stats.threads.has_value(), c.threads);
    }
}

TEST(ProcessCollector, ParsesStatLines) {
    struct Case {
        int line;
        std::string text;
        bool ok;
        std::uint64_t utime, stime, threads, start, vsize;
    };
    const std::vector<Case> cases = {
        {__LINE__, testing::kStat, true, 250, 120, 7, 123456, 987654321},
        {__LINE__, "1 (a) R 0 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 3 0 4 5 6", true, 1, 2, 3, 4, 5},
        {__LINE__, "1 (a b) R 0 0 0 0 -1 0 0 0 0 0 1 2 0 0 20 0 3 0 4", false, 0, 0, 0, 0, 0},
        {__LINE__, "garbage", false, 0, 0, 0, 0, 0},
        {__LINE__, "1 (a) R 0 0 0 0 -1 0 0 0 0 0 x 2 0 0 20 0 3 0 4 5 6", false, 0, 0, 0, 0, 0},
        {__LINE__, "", false, 0, 0, 0, 0, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        auto stat = parseStat(c.text);
        ASSERT_EQ(stat.has_value(), c.ok);
        if (!stat) continue;
        EXPECT_EQ(stat->utime_ticks, c.utime);
        EXPECT_EQ(stat->stime_ticks, c.stime);
        EXPECT_EQ(stat->num_threads, c.threads);
        EXPECT_EQ(stat->starttime_ticks, c.start);
        EXPECT_EQ(stat->vsize_bytes, c.vsize);
    }
}

TEST(ProcessCollector, ParsesStatusLimitsAndBootTime) {
    EXPECT_EQ(parseResidentBytes("VmRSS:\t  12 kB\n"), 12u * 1024u);
    EXPECT_EQ(parseResidentBytes("VmSize:\t 12 kB\n"), std::nullopt);
    EXPECT_EQ(parseResidentBytes("VmRSS:\t 12 MB\n"), std::nullopt);
    EXPECT_EQ(parseMaxOpenFiles("Max open files  unlimited  unlimited  files\n"),
              std::numeric_limits<double>::infinity());
    EXPECT_EQ(parseMaxOpenFiles("Max open files  20000  20000  files\n"), 20000.0);
    EXPECT_EQ(parseMaxOpenFiles("Max processes 5 5 processes\n"), std::nullopt);
    EXPECT_EQ(parseBootTime("cpu 1 2\nbtime 1795566206\n"), 1795566206u);
    EXPECT_EQ(parseBootTime("cpu 1 2\n"), std::nullopt);
}

TEST(ProcessCollector, RealProcSelfIsPlausible) {
    ProcessStats stats = ProcessCollector().collect();
    ASSERT_TRUE(stats.failures.empty()) << stats.failures.front();
    EXPECT_GE(*stats.cpu_seconds, 0.0);
    EXPECT_GT(*stats.resident_bytes, 0u);
    EXPECT_GT(*stats.virtual_bytes, *stats.resident_bytes);
    EXPECT_GE(*stats.open_fds, 3u);  // at least stdin, stdout, stderr or the fd/ iterator
    EXPECT_GT(*stats.max_fds, static_cast<double>(*stats.open_fds));
    EXPECT_GE(*stats.threads, 1u);
    // Started after 2020 and not in the future.
    EXPECT_GT(*stats.start_time_seconds, 1577836800.0);
    EXPECT_LE(*stats.start_time_seconds, static_cast<double>(::time(nullptr)) + 1.0);
}

}  // namespace
}  // namespace b3s::metrics::prometheus
