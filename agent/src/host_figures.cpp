#include "host_figures.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <vector>

namespace b3s::agent {
namespace {

std::optional<std::string> fileText(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos) break;
        auto end = line.find_first_of(" \t", start);
        if (end == std::string_view::npos) end = line.size();
        out.push_back(line.substr(start, end - start));
        pos = end;
    }
    return out;
}

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

template <class F>
void forEachLine(std::string_view text, F&& f) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        if (!f(text.substr(pos, end - pos))) return;
        pos = end + 1;
    }
}

}  // namespace

std::optional<CpuTimes> parseProcStat(std::string_view text) {
    std::optional<CpuTimes> result;
    forEachLine(text, [&](std::string_view line) {
        const auto f = fields(line);
        if (f.empty() || f[0] != "cpu") return true;
        // user nice system idle iowait irq softirq steal [guest guest_nice]
        if (f.size() < 5) return false;
        CpuTimes t;
        for (std::size_t i = 1; i < f.size() && i <= 8; ++i) {
            const auto v = number(f[i]);
            if (!v) return false;
            t.total += *v;
            if (i != 4 && i != 5) t.busy += *v;  // idle, iowait
        }
        result = t;
        return false;
    });
    return result;
}

std::optional<double> parseMemoryInUse(std::string_view text) {
    std::optional<std::uint64_t> total, available;
    forEachLine(text, [&](std::string_view line) {
        const auto f = fields(line);
        if (f.size() >= 2 && f[0] == "MemTotal:") total = number(f[1]);
        if (f.size() >= 2 && f[0] == "MemAvailable:") available = number(f[1]);
        return !(total && available);
    });
    if (!total || !available || *total == 0 || *available > *total) return std::nullopt;
    return static_cast<double>(*total - *available) / static_cast<double>(*total);
}

std::optional<NetTotals> parseNetDev(std::string_view text) {
    NetTotals totals;
    bool any = false;
    forEachLine(text, [&](std::string_view line) {
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return true;  // the two header lines
        const auto name = fields(line.substr(0, colon));
        if (name.size() != 1 || name[0] == "lo") return true;
        // receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes …
        const auto f = fields(line.substr(colon + 1));
        if (f.size() < 9) return true;
        const auto rx = number(f[0]);
        const auto tx = number(f[8]);
        if (!rx || !tx) return true;
        totals.rx_bytes += *rx;
        totals.tx_bytes += *tx;
        any = true;
        return true;
    });
    if (!any) return std::nullopt;
    return totals;
}

HostFigures HostFigureSampler::sample(std::chrono::steady_clock::time_point now) {
    HostFigures h;
    if (const auto text = fileText(proc_ / "stat")) {
        const auto cpu = parseProcStat(*text);
        if (cpu && last_cpu_ && cpu->total > last_cpu_->total && cpu->busy >= last_cpu_->busy)
            h.cpu = std::clamp(
                static_cast<double>(cpu->busy - last_cpu_->busy) / static_cast<double>(cpu->total - last_cpu_->total),
                0.0, 1.0);
        last_cpu_ = cpu;
    }
    if (const auto text = fileText(proc_ / "meminfo")) h.memory = parseMemoryInUse(*text);
    if (const auto text = fileText(proc_ / "net" / "dev")) {
        const auto net = parseNetDev(*text);
        if (net && last_net_ && last_net_at_ && now > *last_net_at_ && net->rx_bytes >= last_net_->rx_bytes &&
            net->tx_bytes >= last_net_->tx_bytes) {
            const double seconds = std::chrono::duration<double>(now - *last_net_at_).count();
            h.network_rx_bytes_per_s = static_cast<double>(net->rx_bytes - last_net_->rx_bytes) / seconds;
            h.network_tx_bytes_per_s = static_cast<double>(net->tx_bytes - last_net_->tx_bytes) / seconds;
        }
        last_net_ = net;
        last_net_at_ = now;
    }
    return h;
}

}  // namespace b3s::agent
