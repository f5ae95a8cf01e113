// The /proc readers on sample files (fixtures/proc-a, proc-b: two samples two seconds apart).
#include "agent_fixtures.hpp"

#include "host_figures.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

TEST(HostFigures, ProcStatTakesTheAggregateLine) {
    const auto t = parseProcStat(fixtureText("proc-a/stat"));
    ASSERT_TRUE(t);
    EXPECT_EQ(t->total, 95000u);  // user … steal
    EXPECT_EQ(t->busy, 14000u);   // all but idle and iowait
    EXPECT_FALSE(parseProcStat("intr 1 2 3\n"));
    EXPECT_FALSE(parseProcStat("cpu  1 2 x 4 5\n"));
    // Old kernels have four fields only.
    const auto old = parseProcStat("cpu 10 0 10 80\n");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->total, 100u);
    EXPECT_EQ(old->busy, 20u);
}

TEST(HostFigures, MemoryInUseIsTotalMinusAvailable) {
    EXPECT_DOUBLE_EQ(*parseMemoryInUse(fixtureText("proc-a/meminfo")), 0.25);
    EXPECT_DOUBLE_EQ(*parseMemoryInUse(fixtureText("proc-b/meminfo")), 0.75);
    EXPECT_FALSE(parseMemoryInUse("MemTotal: 100 kB\n"));  // kernels before 3.14
    EXPECT_FALSE(parseMemoryInUse("MemTotal: 0 kB\nMemAvailable: 0 kB\n"));
}

TEST(HostFigures, NetDevSumsEveryInterfaceButLoopback) {
    const auto n = parseNetDev(fixtureText("proc-a/net/dev"));
    ASSERT_TRUE(n);
    EXPECT_EQ(n->rx_bytes, 1'500'000u);
    EXPECT_EQ(n->tx_bytes, 2'100'000u);
    EXPECT_FALSE(parseNetDev("Inter-|\n face |\n    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"));
}

TEST(HostFigures, SamplerTurnsTwoSamplesIntoSharesAndRates) {
    b3s::test::TempDir proc("agent-proc");
    const auto copy = [&](const std::string& sample) {
        for (const char* file : {"stat", "meminfo", "net/dev"})
            proc.write(file, fixtureText(sample + "/" + file) + "\n");
    };
    HostFigureSampler sampler(proc.path());
    const auto t0 = std::chrono::steady_clock::time_point(std::chrono::seconds(1000));
    copy("proc-a");
    const auto first = sampler.sample(t0);
    EXPECT_FALSE(first.cpu);  // a share since the last sample needs one
    EXPECT_DOUBLE_EQ(*first.memory, 0.25);
    EXPECT_FALSE(first.network_rx_bytes_per_s);

    copy("proc-b");
    const auto second = sampler.sample(t0 + std::chrono::seconds(2));
    EXPECT_DOUBLE_EQ(*second.cpu, 0.5);  // 900 of 1800 jiffies busy
    EXPECT_DOUBLE_EQ(*second.memory, 0.75);
    EXPECT_DOUBLE_EQ(*second.network_rx_bytes_per_s, 1'100'000.0);  // (3.7 MB - 1.5 MB) / 2 s
    EXPECT_DOUBLE_EQ(*second.network_tx_bytes_per_s, 2'100'000.0);  // (6.3 MB - 2.1 MB) / 2 s

    // Counters that went backwards (an interface removed) give no rate, not a negative one.
    copy("proc-a");
    const auto third = sampler.sample(t0 + std::chrono::seconds(3));
    EXPECT_FALSE(third.network_rx_bytes_per_s);
    EXPECT_FALSE(third.cpu);
}

TEST(HostFigures, MissingFilesAreLeftOut) {
    b3s::test::TempDir empty("agent-proc-empty");
    HostFigureSampler sampler(empty.path());
    EXPECT_TRUE(sampler.sample().empty());
    sampler.sample();
    EXPECT_TRUE(sampler.sample().empty());
}

TEST(HostFigures, TheRealProcIsReadable) {
    HostFigureSampler sampler;
    sampler.sample();
    const auto h = sampler.sample(std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
    ASSERT_TRUE(h.memory);
    EXPECT_GT(*h.memory, 0.0);
    EXPECT_LE(*h.memory, 1.0);
    if (h.cpu) {
        EXPECT_GE(*h.cpu, 0.0);
        EXPECT_LE(*h.cpu, 1.0);
    }
}

}  // namespace
}  // namespace b3s::agent::test
