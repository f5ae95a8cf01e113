#include "soak_chaos.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <iomanip>
#include <sstream>
#include <thread>

namespace b3s::test::soak {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long "after <event>" names the phase: recovery (polls, reconnects) happens in it.
constexpr auto kAfterglow = std::chrono::seconds(15);
// PostgreSQL just started: b3scaled's pool reconnects on its next use.
constexpr auto kPostgresReconnect = std::chrono::seconds(3);

// Sleeps `d`, or less when `stop` is set.
void pause(milliseconds d, const std::atomic<bool>& stop) {
    const auto until = Clock::now() + d;
    while (!stop && Clock::now() < until) std::this_thread::sleep_for(std::min(milliseconds(100), d));
}

milliseconds fraction(milliseconds duration, double f, milliseconds at_least) {
    return std::max(at_least, milliseconds(static_cast<long long>(static_cast<double>(duration.count()) * f)));
}

std::string seconds(milliseconds d) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << static_cast<double>(d.count()) / 1000.0 << " s";
    return s.str();
}

}  // namespace

std::string ChaosState::phase() const {
    std::lock_guard lock(mutex_);
    if (!event_.empty()) return event_;
    if (!last_event_.empty() && Clock::now() - ended_at_ < kAfterglow) return "after " + last_event_;
    return "calm";
}

bool ChaosState::postgresDown() const {
    std::lock_guard lock(mutex_);
    return postgres_down_ || Clock::now() - postgres_back_at_ < kPostgresReconnect;
}

std::set<std::string> ChaosState::forgotten() const {
    std::lock_guard lock(mutex_);
    return forgotten_;
}

bool ChaosState::wasForgotten(const std::string& encoded_id) const {
    std::lock_guard lock(mutex_);
    return forgotten_.contains(encoded_id);
}

void ChaosState::begin(std::string event, bool postgres_down) {
    std::lock_guard lock(mutex_);
    event_ = std::move(event);
    postgres_down_ = postgres_down;
}

void ChaosState::end() {
    std::lock_guard lock(mutex_);
    last_event_ = std::move(event_);
    event_.clear();
    ended_at_ = Clock::now();
    if (postgres_down_) postgres_back_at_ = ended_at_;
    postgres_down_ = false;
}

void ChaosState::forgot(const std::vector<std::string>& encoded_ids) {
    std::lock_guard lock(mutex_);
    forgotten_.insert(encoded_ids.begin(), encoded_ids.end());
}

ChaosSchedule::ChaosSchedule(std::vector<bbb::FakeBbbServer*> backends, PgCluster& postgres, ChaosState& state,
                             std::chrono::seconds duration)
    : backends_(std::move(backends)), postgres_(postgres), state_(state), duration_(duration) {
    if (backends_.size() < 4) throw std::invalid_argument("the soak's chaos needs four backends");
    const auto d = duration_;
    // Long enough (15 s of 300) for the controller to declare it offline and the meetings on
    // it lost: joins re-create them elsewhere, and then it comes back with them.
    const auto kill_long = fraction(d, 0.05, milliseconds(1000));
    add(0.08, "kill backend-0 for " + seconds(kill_long), [this, kill_long](const std::atomic<bool>& stop) {
        backends_[0]->takeDown();
        pause(kill_long, stop);
        backends_[0]->bringUp();
    });
    // Longer than B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS: calls time out, and whatever they
    // asked for happens anyway once the server answers again.
    const auto hang_long = fraction(d, 0.05, milliseconds(1000));
    add(0.20, "hang backend-1 for " + seconds(hang_long), [this, hang_long](const std::atomic<bool>& stop) {
        backends_[1]->setFault(bbb::Fault::hang(std::chrono::minutes(5)));
        pause(hang_long, stop);
        backends_[1]->setFault(bbb::Fault::none());
    });
    const auto pg_short = fraction(d, 0.017, milliseconds(2000));
    add(0.33, "stop PostgreSQL for " + seconds(pg_short), [this, pg_short](const std::atomic<bool>& stop) {
        postgres_.stop();
        pause(pg_short, stop);
        postgres_.start();
    });
    // As a BBB restart does: down for a moment, then up without any meeting and without
    // having sent their end callbacks.
    const auto restart = fraction(d, 0.013, milliseconds(1000));
    add(0.45, "restart backend-2 (meetings forgotten, down " + seconds(restart) + ")",
        [this, restart](const std::atomic<bool>& stop) {
            backends_[2]->takeDown();
            std::vector<std::string> ids;
            for (const auto& m : backends_[2]->meetings()) ids.push_back(m.meetingId);
            backends_[2]->reset();
            state_.forgot(ids);
            pause(restart, stop);
            backends_[2]->bringUp();
        });
    // A blip: shorter than the controller's patience (it stays unstable, never offline).
    const auto blip = fraction(d, 0.01, milliseconds(1000));
    add(0.55, "kill backend-3 for " + seconds(blip), [this, blip](const std::atomic<bool>& stop) {
        backends_[3]->takeDown();
        pause(blip, stop);
        backends_[3]->bringUp();
    });
    const auto pg_long = fraction(d, 0.027, milliseconds(2000));
    add(0.65, "stop PostgreSQL for " + seconds(pg_long), [this, pg_long](const std::atomic<bool>& stop) {
        postgres_.stop();
        pause(pg_long, stop);
        postgres_.start();
    });
    const auto hang_short = fraction(d, 0.027, milliseconds(1000));
    add(0.75, "hang backend-0 for " + seconds(hang_short), [this, hang_short](const std::atomic<bool>& stop) {
        backends_[0]->setFault(bbb::Fault::hang(std::chrono::minutes(5)));
        pause(hang_short, stop);
        backends_[0]->setFault(bbb::Fault::none());
    });
}

void ChaosSchedule::add(double at_fraction, std::string name, std::function<void(const std::atomic<bool>&)> run) {
    events_.push_back({milliseconds(static_cast<long long>(static_cast<double>(duration_.count()) * at_fraction)),
                       std::move(name), std::move(run)});
}

void ChaosSchedule::run(Clock::time_point start, const std::atomic<bool>& stop) {
    for (const auto& event : events_) {
        while (!stop && Clock::now() < start + event.at) std::this_thread::sleep_for(milliseconds(100));
        if (stop) return;
        const auto began = Clock::now();
        state_.begin(event.name, event.name.find("PostgreSQL") != std::string::npos);
        try {
            event.run(stop);
        } catch (const std::exception& e) {
            ADD_FAILURE() << "chaos event '" << event.name << "' failed: " << e.what();
        }
        state_.end();
        std::ostringstream line;
        line << std::fixed << std::setprecision(1) << "t=" << std::chrono::duration<double>(began - start).count()
             << "–" << std::chrono::duration<double>(Clock::now() - start).count() << " s  " << event.name;
        std::lock_guard lock(log_mutex_);
        log_.push_back(line.str());
    }
}

std::vector<std::string> ChaosSchedule::log() const {
    std::lock_guard lock(log_mutex_);
    return log_;
}

}  // namespace b3s::test::soak
