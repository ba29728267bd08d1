// SPDX-License-Identifier: MIT
// The actor-learner trainer: actors, the central inference server, the V-trace learner and the
// measurement of each role (docs/models/rl.md §3).
#include "deepnvm/rltrain/trainer.h"

#include <pthread.h>
#include <sched.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <numbers>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "deepnvm/core/error.h"
#include "deepnvm/rl/env.h"
#include "deepnvm/rl/sensors.h"

namespace deepnvm::rltrain {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

}  // namespace

// ---- network -----------------------------------------------------------------------------------

PolicyNetImpl::PolicyNetImpl(int observation_size, int outputs, bool continuous_actions, int hidden)
    : continuous(continuous_actions) {
  auto mlp = [&](int out) {
    return torch::nn::Sequential(torch::nn::Linear(observation_size, hidden), torch::nn::Tanh(),
                                 torch::nn::Linear(hidden, hidden), torch::nn::Tanh(), torch::nn::Linear(hidden, out));
  };
  pi = register_module("pi", mlp(outputs));
  v = register_module("v", mlp(1));
  // A near-uniform first policy (small last layer), the usual start for policy gradients.
  torch::NoGradGuard no_grad;
  for (auto& p : pi[4]->parameters()) p.mul_(0.01);
  log_std = register_parameter("log_std", torch::zeros({continuous ? outputs : 0}));
}

torch::Tensor PolicyNetImpl::policy(const torch::Tensor& observations) {
  torch::Tensor out = pi->forward(observations);
  if (!continuous) return out;
  return torch::cat({out, log_std.expand_as(out)}, 1);
}

torch::Tensor PolicyNetImpl::value(const torch::Tensor& observations) { return v->forward(observations).squeeze(1); }

std::pair<torch::Tensor, torch::Tensor> PolicyNetImpl::log_prob_entropy(const torch::Tensor& out,
                                                                        const torch::Tensor& actions) {
  if (!continuous) {
    const torch::Tensor logp = torch::log_softmax(out, 1);
    return {logp.gather(1, actions.to(torch::kLong)).squeeze(1), -(logp.exp() * logp).sum(1)};
  }
  const auto parts = out.chunk(2, 1);
  const torch::Tensor& mean = parts[0];
  const torch::Tensor& ls = parts[1];
  const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);
  const torch::Tensor z = (actions - mean) * torch::exp(-ls);
  return {(-0.5 * z * z - ls - half_log_2pi).sum(1), (ls + 0.5 + half_log_2pi).sum(1)};
}

VTraceTargets vtrace(const torch::Tensor& target_logp, const torch::Tensor& behaviour_logp,
                     const torch::Tensor& rewards, const torch::Tensor& discounts, const torch::Tensor& values,
                     double rho_bar, double c_bar) {
  torch::NoGradGuard no_grad;
  const std::int64_t T = rewards.size(0);
  const torch::Tensor ratio = torch::exp(target_logp - behaviour_logp);
  const torch::Tensor rho = ratio.clamp_max(rho_bar), cs = ratio.clamp_max(c_bar);
  const torch::Tensor v_t = values.narrow(0, 0, T), v_next = values.narrow(0, 1, T);
  const torch::Tensor delta = rho * (rewards + discounts * v_next - v_t);
  // vs_t - V(x_t) = delta_t + discount_t c_t (vs_{t+1} - V(x_{t+1})), backwards from the bootstrap.
  std::vector<torch::Tensor> acc(static_cast<std::size_t>(T));
  torch::Tensor running = torch::zeros_like(delta[0]);
  for (std::int64_t t = T - 1; t >= 0; --t) {
    running = delta[t] + discounts[t] * cs[t] * running;
    acc[static_cast<std::size_t>(t)] = running;
  }
  VTraceTargets out;
  out.vs = v_t + torch::stack(acc);
  const torch::Tensor vs_next = torch::cat({out.vs.narrow(0, 1, T - 1), values.narrow(0, T, 1)});
  out.advantages = rho * (rewards + discounts * vs_next - v_t);
  return out;
}

namespace {

// ---- shared pieces -----------------------------------------------------------------------------

struct Shape {
  int observations = 0, action_size = 0, outputs = 0;
  bool continuous = false;
};

Shape shape_of(const rl::Environment& env) {
  const rl::ActionSpace space = env.action_space();
  Shape s;
  s.observations = env.observation_size();
  s.continuous = !space.is_discrete();
  s.action_size = space.size();
  s.outputs = s.continuous ? space.size() : space.discrete;
  return s;
}

/// T steps of one environment: what the learner needs.
struct Unroll {
  std::vector<float> observations;                        // (T + 1) x observation size
  std::vector<float> actions;                             // T x action size
  std::vector<float> behaviour_logp, rewards, discounts;  // T
  Clock::time_point queued;
};

/// Running totals of every role, read at the window's start and end.
struct Counters {
  std::atomic<std::int64_t> frames{0}, updates{0}, episodes{0};
  std::atomic<std::int64_t> env_steps{0}, actor_forwards{0}, actor_forward_obs{0};
  std::atomic<std::int64_t> central_forwards{0}, central_obs{0}, central_requests{0}, unrolls{0};
  std::atomic<double> env_seconds{0}, actor_forward_seconds{0}, central_forward_seconds{0}, central_wait_seconds{0},
      update_seconds{0}, unroll_wait_seconds{0};
  std::atomic<double> actor_cpu{0}, learner_cpu{0}, inference_cpu{0};
};

struct Totals {
  std::int64_t frames, updates, episodes, env_steps, actor_forwards, actor_forward_obs, central_forwards, central_obs,
      central_requests, unrolls;
  double env_seconds, actor_forward_seconds, central_forward_seconds, central_wait_seconds, update_seconds,
      unroll_wait_seconds, actor_cpu, learner_cpu, inference_cpu, wall;
};

Totals read(const Counters& c, Clock::time_point start) {
  return {c.frames,
          c.updates,
          c.episodes,
          c.env_steps,
          c.actor_forwards,
          c.actor_forward_obs,
          c.central_forwards,
          c.central_obs,
          c.central_requests,
          c.unrolls,
          c.env_seconds,
          c.actor_forward_seconds,
          c.central_forward_seconds,
          c.central_wait_seconds,
          c.update_seconds,
          c.unroll_wait_seconds,
          c.actor_cpu,
          c.learner_cpu,
          c.inference_cpu,
          since(start)};
}

/// Adds the calling thread's CPU time since the last call to `role`.
class CpuMeter {
 public:
  explicit CpuMeter(std::atomic<double>& role) : role_(role), last_(rl::thread_cpu_seconds()) {}
  void tick() {
    const double now = rl::thread_cpu_seconds();
    role_.fetch_add(now - last_);
    last_ = now;
  }

 private:
  std::atomic<double>& role_;
  double last_;
};

/// The learner's queue of unrolls, bounded: full, it holds the actors back.
class UnrollQueue {
 public:
  explicit UnrollQueue(std::size_t capacity) : capacity_(capacity) {}
  bool push(Unroll u) {
    std::unique_lock lock(m_);
    not_full_.wait(lock, [&] { return closed_ || q_.size() < capacity_; });
    if (closed_) return false;
    u.queued = Clock::now();
    q_.push_back(std::move(u));
    not_empty_.notify_one();
    return true;
  }
  /// `n` unrolls, or fewer only when closed.
  std::vector<Unroll> pop(std::size_t n, Counters& c) {
    std::vector<Unroll> out;
    std::unique_lock lock(m_);
    while (out.size() < n) {
      not_empty_.wait(lock, [&] { return closed_ || !q_.empty(); });
      if (closed_) break;
      const auto now = Clock::now();
      c.unroll_wait_seconds.fetch_add(std::chrono::duration<double>(now - q_.front().queued).count());
      c.unrolls.fetch_add(1);
      out.push_back(std::move(q_.front()));
      q_.pop_front();
      not_full_.notify_all();
    }
    return out;
  }
  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Unroll> q_;
  std::size_t capacity_;
  bool closed_ = false;
};

/// A forward pass for an actor: policy outputs [n, outputs], or values [n] when `value`.
using Forward = std::function<bool(const torch::Tensor& observations, bool value, torch::Tensor& out)>;

/// SEED RL's central inference: actors submit their observations and wait; the server runs one
/// forward pass over what is waiting once it holds a full batch, every actor is waiting, or the
/// oldest request has waited `timeout`.
class InferenceServer {
 public:
  InferenceServer(PolicyNet net, std::mutex& model, torch::Device device, int batch, int actors, double timeout,
                  Counters& c)
      : net_(std::move(net)),
        model_(model),
        device_(device),
        batch_(batch),
        actors_(actors),
        timeout_(timeout),
        c_(c) {}

  bool infer(const torch::Tensor& observations, bool value, torch::Tensor& out) {
    Request r{observations, value, {}, State::waiting, Clock::now()};
    std::unique_lock lock(m_);
    if (closed_) return false;
    pending_.push_back(&r);
    wake_.notify_one();
    // A request the server has taken is always answered before it looks at `closed_` again.
    done_.wait(lock, [&] { return r.state != State::waiting; });
    if (r.state != State::done) return false;
    out = std::move(r.out);
    return true;
  }

  void run() {
    torch::NoGradGuard no_grad;
    CpuMeter cpu(c_.inference_cpu);
    for (;;) {
      std::vector<Request*> take;
      {
        std::unique_lock lock(m_);
        wake_.wait(lock, [&] { return closed_ || !pending_.empty(); });
        if (closed_) return;
        const auto deadline = pending_.front()->submitted + std::chrono::duration<double>(timeout_);
        wake_.wait_until(lock, deadline, [&] {
          return closed_ || waiting_obs() >= batch_ || static_cast<int>(pending_.size()) >= actors_;
        });
        if (closed_) return;
        std::int64_t obs = 0;
        while (!pending_.empty() && (take.empty() || obs + pending_.front()->obs.size(0) <= batch_)) {
          obs += pending_.front()->obs.size(0);
          take.push_back(pending_.front());
          pending_.pop_front();
        }
      }
      serve(take);
      {
        std::lock_guard lock(m_);
        for (Request* r : take) r->state = State::done;
        done_.notify_all();
      }
      cpu.tick();
    }
  }

  /// Refuses the requests not yet taken; the ones being served are answered.
  void close() {
    std::lock_guard lock(m_);
    closed_ = true;
    for (Request* r : pending_) r->state = State::refused;
    pending_.clear();
    wake_.notify_all();
    done_.notify_all();
  }

 private:
  enum class State { waiting, done, refused };
  struct Request {
    torch::Tensor obs;
    bool value;
    torch::Tensor out;
    State state;
    Clock::time_point submitted;
  };

  std::int64_t waiting_obs() const {
    std::int64_t n = 0;
    for (const Request* r : pending_) n += r->obs.size(0);
    return n;
  }

  // Policy requests in one pass; the rare value requests (bootstraps at a time limit) one by one.
  void serve(const std::vector<Request*>& take) {
    const auto start = Clock::now();
    std::vector<torch::Tensor> obs;
    std::int64_t n = 0;
    for (const Request* r : take) {
      c_.central_wait_seconds.fetch_add(std::chrono::duration<double>(start - r->submitted).count());
      if (!r->value) obs.push_back(r->obs), n += r->obs.size(0);
    }
    std::lock_guard model(model_);
    if (!obs.empty()) {
      const torch::Tensor out = net_->policy(torch::cat(obs).to(device_)).to(torch::kCPU);
      std::int64_t row = 0;
      for (Request* r : take)
        if (!r->value) {
          r->out = out.narrow(0, row, r->obs.size(0));
          row += r->obs.size(0);
        }
      c_.central_forwards.fetch_add(1);
      c_.central_obs.fetch_add(n);
    }
    for (Request* r : take)
      if (r->value) r->out = net_->value(r->obs.to(device_)).to(torch::kCPU);
    c_.central_requests.fetch_add(static_cast<std::int64_t>(take.size()));
    c_.central_forward_seconds.fetch_add(since(start));
  }

  PolicyNet net_;
  std::mutex& model_;
  torch::Device device_;
  std::int64_t batch_;
  int actors_;
  double timeout_;
  Counters& c_;
  std::mutex m_;
  std::condition_variable wake_, done_;
  std::deque<Request*> pending_;
  bool closed_ = false;
};

/// One environment of an actor and its episode.
struct EnvSlot {
  std::unique_ptr<rl::Environment> env;
  std::vector<double> observation;
  double episode_return = 0;
};

/// An actor: its environments, its random streams, and the unrolls it fills.
class Actor {
 public:
  Actor(const TrainerOptions& o, const Shape& shape, int index)
      : o_(o), shape_(shape), env_rng_(o.seed * 7919 + 2 * index + 1), policy_rng_(o.seed * 104729 + 2 * index + 2) {
    for (int e = 0; e < o.system.envs_per_actor; ++e) {
      EnvSlot s{rl::make_environment(o.env, o.data_dir), std::vector<double>(shape.observations), 0.0};
      s.env->reset(env_rng_, s.observation);
      slots_.push_back(std::move(s));
    }
  }

  /// One unroll of every environment; false if inference was refused (shutting down).
  bool collect(const Forward& forward, Counters& c, std::vector<Unroll>& out, std::vector<double>& returns) {
    const int E = static_cast<int>(slots_.size()), T = static_cast<int>(o_.unroll), O = shape_.observations,
              A = shape_.action_size;
    out.assign(E, {});
    for (Unroll& u : out) {
      u.observations.resize(static_cast<std::size_t>((T + 1) * O));
      u.actions.resize(static_cast<std::size_t>(T * A));
      u.behaviour_logp.resize(T);
      u.rewards.resize(T);
      u.discounts.resize(T);
    }
    torch::Tensor obs = torch::empty({E, O});
    std::vector<double> action(A);
    std::vector<int> truncated;
    for (int t = 0; t <= T; ++t) {
      float* x = obs.data_ptr<float>();
      for (int e = 0; e < E; ++e)
        for (int i = 0; i < O; ++i) {
          x[e * O + i] = static_cast<float>(slots_[e].observation[i]);
          out[e].observations[static_cast<std::size_t>(t * O + i)] = x[e * O + i];
        }
      if (t == T) break;
      torch::Tensor policy_out;
      const auto f0 = Clock::now();
      if (!forward(obs, false, policy_out)) return false;
      c.actor_forward_seconds.fetch_add(since(f0));
      c.actor_forwards.fetch_add(1);
      c.actor_forward_obs.fetch_add(E);
      const torch::Tensor p = policy_out.contiguous();
      const float* po = p.data_ptr<float>();
      const int W = static_cast<int>(p.size(1));

      const auto s0 = Clock::now();
      truncated.clear();
      std::vector<float> final_obs;
      for (int e = 0; e < E; ++e) {
        const double logp = sample(po + e * W, action);
        for (int i = 0; i < A; ++i) out[e].actions[static_cast<std::size_t>(t * A + i)] = static_cast<float>(action[i]);
        out[e].behaviour_logp[t] = static_cast<float>(logp);
        EnvSlot& s = slots_[e];
        const rl::StepResult r = s.env->step(action, s.observation);
        s.episode_return += r.reward;
        out[e].rewards[t] = static_cast<float>(r.reward);
        out[e].discounts[t] = r.done() ? 0.0F : static_cast<float>(o_.discount);
        if (r.done()) {
          if (!r.terminated) {  // a time limit: bootstrap from the value of the state it stopped in
            truncated.push_back(e);
            for (double v : s.observation) final_obs.push_back(static_cast<float>(v));
          }
          returns.push_back(s.episode_return);
          s.episode_return = 0;
          s.env->reset(env_rng_, s.observation);
        }
      }
      c.env_seconds.fetch_add(since(s0));
      c.env_steps.fetch_add(E);
      if (!truncated.empty()) {
        torch::Tensor values;
        const torch::Tensor fo =
            torch::from_blob(final_obs.data(), {static_cast<std::int64_t>(truncated.size()), O}).clone();
        if (!forward(fo, true, values)) return false;
        for (std::size_t k = 0; k < truncated.size(); ++k)
          out[truncated[k]].rewards[t] +=
              static_cast<float>(o_.discount * values[static_cast<std::int64_t>(k)].item<float>());
      }
    }
    c.frames.fetch_add(static_cast<std::int64_t>(T) * E);
    c.episodes.fetch_add(static_cast<std::int64_t>(returns.size()));
    return true;
  }

 private:
  // Draws an action from the policy's outputs `out` with the actor's own stream; returns its log-probability.
  double sample(const float* out, std::vector<double>& action) {
    if (!shape_.continuous) {
      const int K = shape_.outputs;
      double top = out[0];
      for (int k = 1; k < K; ++k) top = std::max(top, static_cast<double>(out[k]));
      double sum = 0;
      for (int k = 0; k < K; ++k) sum += std::exp(out[k] - top);
      double u = std::uniform_real_distribution<double>(0.0, 1.0)(policy_rng_) * sum;
      int a = K - 1;
      for (int k = 0; k < K; ++k) {
        u -= std::exp(out[k] - top);
        if (u < 0) {
          a = k;
          break;
        }
      }
      action[0] = a;
      return out[a] - top - std::log(sum);
    }
    const int A = shape_.action_size;
    double logp = 0;
    for (int i = 0; i < A; ++i) {
      const double mean = out[i], log_std = out[A + i], z = std::normal_distribution<double>(0.0, 1.0)(policy_rng_);
      action[i] = mean + std::exp(log_std) * z;
      logp += -0.5 * z * z - log_std - 0.5 * std::log(2 * std::numbers::pi);
    }
    return logp;
  }

  const TrainerOptions& o_;
  Shape shape_;
  rl::EnvRng env_rng_;
  std::mt19937_64 policy_rng_;
  std::vector<EnvSlot> slots_;
};

/// The V-trace learner (Espeholt et al. 2018, eq. 1 and the policy gradient of §4.2).
class Learner {
 public:
  Learner(const TrainerOptions& o, const Shape& shape, PolicyNet net, torch::Device device)
      : o_(o),
        shape_(shape),
        net_(std::move(net)),
        device_(device),
        optimizer_(net_->parameters(), torch::optim::AdamOptions(o.learning_rate)) {}

  void update(const std::vector<Unroll>& batch, std::int64_t frames_so_far) {
    const std::int64_t T = o_.unroll, B = static_cast<std::int64_t>(batch.size()), O = shape_.observations,
                       A = shape_.action_size;
    auto stack = [&](auto member, std::int64_t per_step, std::int64_t steps) {
      std::vector<torch::Tensor> parts;
      for (const Unroll& u : batch)
        parts.push_back(torch::from_blob(const_cast<float*>((u.*member).data()), {steps, per_step}));
      return torch::stack(parts, 1).to(device_);  // [steps, B, per_step]
    };
    const torch::Tensor obs = stack(&Unroll::observations, O, T + 1);
    const torch::Tensor actions = stack(&Unroll::actions, A, T).reshape({T * B, A});
    const torch::Tensor behaviour = stack(&Unroll::behaviour_logp, 1, T).squeeze(2);
    const torch::Tensor rewards = stack(&Unroll::rewards, 1, T).squeeze(2);
    const torch::Tensor discounts = stack(&Unroll::discounts, 1, T).squeeze(2);

    const torch::Tensor values = net_->value(obs.reshape({(T + 1) * B, O})).reshape({T + 1, B});
    const torch::Tensor out = net_->policy(obs.narrow(0, 0, T).reshape({T * B, O}));
    auto [logp_flat, entropy_flat] = net_->log_prob_entropy(out, actions);
    const torch::Tensor logp = logp_flat.reshape({T, B}), entropy = entropy_flat.reshape({T, B});

    const VTraceTargets targets =
        vtrace(logp.detach(), behaviour, rewards, discounts, values.detach(), o_.rho_bar, o_.c_bar);
    const torch::Tensor &vs = targets.vs, &advantage = targets.advantages;
    const torch::Tensor policy_loss = -(logp * advantage).mean();
    const torch::Tensor baseline_loss = 0.5 * (vs - values.narrow(0, 0, T)).pow(2).mean();
    const torch::Tensor loss = policy_loss + o_.baseline_cost * baseline_loss - o_.entropy_cost * entropy.mean();

    double lr = o_.learning_rate;
    if (o_.decay && o_.seconds <= 0)
      lr *= std::max(0.0, 1.0 - static_cast<double>(frames_so_far) / static_cast<double>(o_.frames));
    for (auto& group : optimizer_.param_groups()) static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    optimizer_.zero_grad();
    loss.backward();
    torch::nn::utils::clip_grad_norm_(net_->parameters(), o_.max_grad_norm);
    optimizer_.step();
  }

  PolicyNet& net() { return net_; }

 private:
  const TrainerOptions& o_;
  Shape shape_;
  PolicyNet net_;
  torch::Device device_;
  torch::optim::Adam optimizer_;
};

/// The learner's parameters as one flat CPU tensor, and its version, for the actors' copies.
class ParameterBoard {
 public:
  void publish(PolicyNet& net) {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> flat;
    for (const auto& p : net->parameters()) flat.push_back(p.detach().reshape(-1).to(torch::kCPU));
    std::lock_guard lock(m_);
    params_ = torch::cat(flat);
    version_.fetch_add(1);
  }
  /// Copies the newest parameters into `local` if they changed since `seen`.
  void refresh(PolicyNet& local, std::int64_t& seen) {
    if (version_.load() == seen) return;
    torch::NoGradGuard no_grad;
    std::lock_guard lock(m_);
    std::int64_t at = 0;
    for (auto& p : local->parameters()) {
      p.copy_(params_.narrow(0, at, p.numel()).view_as(p));
      at += p.numel();
    }
    seen = version_.load();
  }

 private:
  std::mutex m_;
  torch::Tensor params_;
  std::atomic<std::int64_t> version_{0};
};

void pin_to_cores(int actor, int cores_per_actor) {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return;
  std::vector<int> cpus;
  for (int i = 0; i < CPU_SETSIZE; ++i)
    if (CPU_ISSET(i, &allowed)) cpus.push_back(i);
  if (cpus.empty() || cores_per_actor >= static_cast<int>(cpus.size())) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int k = 0; k < cores_per_actor; ++k)
    CPU_SET(cpus[static_cast<std::size_t>((actor * cores_per_actor + k) % static_cast<int>(cpus.size()))], &set);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

void check(const TrainerOptions& o) {
  const SourceLocation here{"<rl options>", 0};
  if (o.system.actors < 1 || o.system.envs_per_actor < 1 || o.system.cores_per_actor < 1 ||
      o.system.inference_batch < 1)
    throw ConfigError(here, "actors", "actors, envs per actor, cores per actor and inference batch must be >= 1");
  if (o.unroll < 2 || o.batch_unrolls < 1 || o.hidden < 1)
    throw ConfigError(here, "unroll", "unroll must be >= 2, batch unrolls and hidden units >= 1");
  if (o.frames < 1 && o.seconds <= 0) throw ConfigError(here, "frames", "give a frame budget or a time");
  if (!(o.learning_rate > 0)) throw ConfigError(here, "learning_rate", "expected > 0");
  if (o.learner_device != "cpu" && o.learner_device != "cuda")
    throw ConfigError(here, "learner_device", "expected 'cpu' or 'cuda', got '{}'", o.learner_device);
  if (o.learner_device == "cuda" && !torch::cuda::is_available())
    throw ConfigError(here, "learner_device", "'cuda' asked for, but this libtorch has no CUDA device to use");
  if (o.synchronous && o.seconds > 0)
    throw ConfigError(here, "synchronous", "the synchronous mode runs to a frame budget, not a time");
}

// ---- the run -----------------------------------------------------------------------------------

struct Run {
  Run(const TrainerOptions& options, const Shape& s, torch::Device d) : o(options), shape(s), device(d) {}
  const TrainerOptions& o;
  Shape shape;
  torch::Device device;
  Counters c;
  std::mutex stats_m;
  std::vector<double> returns;
  std::vector<CurvePoint> curve;
  Clock::time_point start = Clock::now();
  std::atomic<bool> done{false};

  bool stopped() const { return done.load() || (o.stop && o.stop->load()); }

  void record(std::vector<double>& finished) {
    if (finished.empty()) return;
    std::lock_guard lock(stats_m);
    returns.insert(returns.end(), finished.begin(), finished.end());
    finished.clear();
  }
  void curve_point() {
    std::lock_guard lock(stats_m);
    if (returns.empty() || (!curve.empty() && curve.back().episodes == static_cast<std::int64_t>(returns.size())))
      return;
    const std::size_t n = std::min<std::size_t>(100, returns.size());
    double sum = 0;
    for (std::size_t i = returns.size() - n; i < returns.size(); ++i) sum += returns[i];
    curve.push_back({c.frames.load(), since(start), static_cast<std::int64_t>(returns.size()), sum / n});
  }
};

rl::Measurement measure(const Run& run, const Totals& a, const Totals& b) {
  const TrainerOptions& o = run.o;
  rl::Measurement m;
  m.config = o.system;
  m.env = o.env;
  m.learner_device = o.learner_device;
  m.machine_cores = rl::available_cores();
  m.seconds = b.wall - a.wall;
  m.frames = b.frames - a.frames;
  m.updates = b.updates - a.updates;
  m.episodes = b.episodes - a.episodes;
  const double w = m.seconds > 0 ? m.seconds : 1;
  m.frames_per_second = m.frames / w;
  m.updates_per_second = m.updates / w;
  auto per = [](double total, std::int64_t n) { return n > 0 ? total / static_cast<double>(n) : 0.0; };
  const bool central = o.system.inference == rl::InferencePlacement::central;
  m.mean_inference_batch =
      central
          ? per(static_cast<double>(b.central_obs - a.central_obs), b.central_forwards - a.central_forwards)
          : per(static_cast<double>(b.actor_forward_obs - a.actor_forward_obs), b.actor_forwards - a.actor_forwards);
  m.mean_inference_wait = per(b.central_wait_seconds - a.central_wait_seconds, b.central_requests - a.central_requests);
  m.mean_unroll_wait = per(b.unroll_wait_seconds - a.unroll_wait_seconds, b.unrolls - a.unrolls);
  m.actor_cpu = (b.actor_cpu - a.actor_cpu) / w;
  m.learner_cpu = (b.learner_cpu - a.learner_cpu) / w;
  m.inference_cpu = (b.inference_cpu - a.inference_cpu) / w;
  // Per-event wall times; the envs of an actor are timed together, so a step's cost is per environment.
  m.env_step = per(b.env_seconds - a.env_seconds, b.env_steps - a.env_steps);
  m.actor_forward =
      central ? 0.0 : per(b.actor_forward_seconds - a.actor_forward_seconds, b.actor_forwards - a.actor_forwards);
  m.central_forward =
      per(b.central_forward_seconds - a.central_forward_seconds, b.central_forwards - a.central_forwards);
  m.learner_update = per(b.update_seconds - a.update_seconds, b.updates - a.updates);
  m.frames_per_update = o.unroll * o.batch_unrolls;
  return m;
}

}  // namespace

TrainResult train(const TrainerOptions& o) {
  check(o);
  torch::set_num_threads(1);  // one core per role: the roles are what the measurement separates
  const Shape shape = shape_of(*rl::make_environment(o.env, o.data_dir));
  const torch::Device device = o.learner_device == "cuda" ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  torch::manual_seed(o.seed);
  PolicyNet net(shape.observations, shape.outputs, shape.continuous, static_cast<int>(o.hidden));
  net->to(device);
  Run run{o, shape, device};
  Learner learner(o, shape, net, device);
  const bool central = o.system.inference == rl::InferencePlacement::central;

  rl::CpuPackageEnergy cpu_energy;
  rl::GpuSensor gpu(0);
  Totals window_start = read(run.c, run.start);
  auto open_window = [&] {
    window_start = read(run.c, run.start);
    cpu_energy.restart();
  };
  std::optional<double> gpu_joules_at_start = gpu.joules();

  TrainResult result;
  if (o.synchronous) {
    std::vector<Actor> actors;
    for (int i = 0; i < o.system.actors; ++i) actors.emplace_back(o, shape, i);
    const Forward forward = [&](const torch::Tensor& x, bool value, torch::Tensor& out) {
      torch::NoGradGuard guard;
      out = value ? learner.net()->value(x.to(device)).to(torch::kCPU)
                  : learner.net()->policy(x.to(device)).to(torch::kCPU);
      return true;
    };
    std::vector<Unroll> pending, unrolls;
    std::vector<double> finished;
    while (!run.stopped() && run.c.frames.load() < o.frames) {
      for (Actor& a : actors) {
        a.collect(forward, run.c, unrolls, finished);
        run.record(finished);
        for (Unroll& u : unrolls) pending.push_back(std::move(u));
        while (static_cast<std::int64_t>(pending.size()) >= o.batch_unrolls) {
          const std::vector<Unroll> batch(std::make_move_iterator(pending.begin()),
                                          std::make_move_iterator(pending.begin() + o.batch_unrolls));
          pending.erase(pending.begin(), pending.begin() + o.batch_unrolls);
          const auto u0 = Clock::now();
          learner.update(batch, run.c.frames.load());
          run.c.update_seconds.fetch_add(since(u0));
          run.c.updates.fetch_add(1);
          run.curve_point();
          if (o.progress) o.progress(run.c.frames.load(), o.frames);
        }
      }
    }
  } else {
    UnrollQueue queue(static_cast<std::size_t>(2 * o.batch_unrolls));
    ParameterBoard board;
    board.publish(learner.net());
    std::mutex model;
    std::unique_ptr<InferenceServer> server;
    if (central)
      server = std::make_unique<InferenceServer>(learner.net(), model, device, o.system.inference_batch,
                                                 o.system.actors, o.inference_timeout, run.c);
    std::vector<std::unique_ptr<Actor>> actors;
    for (int i = 0; i < o.system.actors; ++i) actors.push_back(std::make_unique<Actor>(o, shape, i));

    std::vector<std::thread> threads;
    std::exception_ptr failure;
    std::mutex failure_m;
    auto guarded = [&](auto body) {
      return [&, body] {
        try {
          // OpenMP's thread count is per thread: a new thread would start with one per core, and
          // their busy-waiting would take the cores the other roles are measured on.
          torch::set_num_threads(1);
          body();
        } catch (...) {
          std::lock_guard lock(failure_m);
          if (!failure) failure = std::current_exception();
          run.done = true;
          queue.close();
          if (server) server->close();
        }
      };
    };
    for (int i = 0; i < o.system.actors; ++i)
      threads.emplace_back(guarded([&, i] {
        pin_to_cores(i, o.system.cores_per_actor);
        torch::NoGradGuard no_grad;
        CpuMeter cpu(run.c.actor_cpu);
        PolicyNet local(shape.observations, shape.outputs, shape.continuous, static_cast<int>(o.hidden));
        std::int64_t seen = -1;
        const Forward forward = central ? Forward([&](const torch::Tensor& x, bool value, torch::Tensor& out) {
          return server->infer(x, value, out);
        })
                                        : Forward([&](const torch::Tensor& x, bool value, torch::Tensor& out) {
                                            out = value ? local->value(x) : local->policy(x);
                                            return true;
                                          });
        std::vector<Unroll> unrolls;
        std::vector<double> finished;
        while (!run.stopped()) {
          if (!central) board.refresh(local, seen);
          if (!actors[static_cast<std::size_t>(i)]->collect(forward, run.c, unrolls, finished)) break;
          run.record(finished);
          cpu.tick();
          for (Unroll& u : unrolls)
            if (!queue.push(std::move(u))) return;
        }
      }));
    if (server) threads.emplace_back(guarded([&] { server->run(); }));
    threads.emplace_back(guarded([&] {
      CpuMeter cpu(run.c.learner_cpu);
      while (!run.stopped()) {
        const std::vector<Unroll> batch = queue.pop(static_cast<std::size_t>(o.batch_unrolls), run.c);
        if (static_cast<std::int64_t>(batch.size()) < o.batch_unrolls) break;
        const auto u0 = Clock::now();
        {
          std::lock_guard lock(model);
          learner.update(batch, run.c.frames.load());
        }
        run.c.update_seconds.fetch_add(since(u0));
        run.c.updates.fetch_add(1);
        if (!central) board.publish(learner.net());
        run.curve_point();
        cpu.tick();
        if (o.progress) o.progress(run.c.frames.load(), o.frames);
        if (o.seconds <= 0 && run.c.frames.load() >= o.frames) run.done = true;
      }
    }));

    // The main thread keeps the clock: warm-up, then the window, or until the frame budget is spent.
    auto sleep_until = [&](double t) {
      while (!run.stopped() && since(run.start) < t) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    };
    if (o.seconds > 0) {
      sleep_until(o.warmup);
      open_window();
      gpu_joules_at_start = gpu.joules();
      sleep_until(o.warmup + o.seconds);
    } else {
      sleep_until(std::numeric_limits<double>::infinity());
    }
    const Totals end = read(run.c, run.start);
    const std::optional<double> cpu_j = cpu_energy.joules(), gpu_j = gpu.joules();
    run.done = true;
    queue.close();
    if (server) server->close();
    for (std::thread& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
    result.measurement = measure(run, window_start, end);
    const double w = result.measurement.seconds;
    if (cpu_j && w > 0) result.measurement.cpu_watts = *cpu_j / w;
    if (gpu_j && gpu_joules_at_start && w > 0) result.measurement.gpu_watts = (*gpu_j - *gpu_joules_at_start) / w;
    result.measurement.gpu_utilization = gpu.utilization_percent();
  }
  if (o.synchronous) result.measurement = measure(run, window_start, read(run.c, run.start));
  result.measurement.cpu_power_missing = cpu_energy.available() ? "" : cpu_energy.missing_reason();
  result.measurement.gpu_missing = gpu.available() ? "" : gpu.missing_reason();
  result.interrupted = o.stop && o.stop->load();
  result.curve = run.curve;
  result.returns = run.returns;
  result.net = learner.net();
  return result;
}

Evaluation evaluate(PolicyNet net, const std::string& env_name, const std::filesystem::path& data_dir,
                    std::int64_t episodes, std::uint64_t seed, bool greedy) {
  torch::NoGradGuard no_grad;
  const std::unique_ptr<rl::Environment> env = rl::make_environment(env_name, data_dir);
  const Shape shape = shape_of(*env);
  rl::EnvRng env_rng(seed);
  std::mt19937_64 policy_rng(seed + 1);
  const torch::Device device = net->parameters().front().device();
  Evaluation ev;
  ev.episodes = episodes;
  std::vector<double> obs(shape.observations), action(shape.action_size);
  for (std::int64_t ep = 0; ep < episodes; ++ep) {
    env->reset(env_rng, obs);
    double total = 0;
    for (;;) {
      torch::Tensor x = torch::empty({1, shape.observations});
      for (int i = 0; i < shape.observations; ++i) x[0][i] = static_cast<float>(obs[i]);
      const torch::Tensor out = net->policy(x.to(device)).to(torch::kCPU).contiguous();
      const float* p = out.data_ptr<float>();
      if (!shape.continuous) {
        if (greedy) {
          action[0] = static_cast<double>(out.argmax(1).item<std::int64_t>());
        } else {
          const torch::Tensor probs = torch::softmax(out, 1);
          double u = std::uniform_real_distribution<double>(0.0, 1.0)(policy_rng);
          action[0] = shape.outputs - 1;
          for (int k = 0; k < shape.outputs; ++k)
            if ((u -= probs[0][k].item<double>()) < 0) {
              action[0] = k;
              break;
            }
        }
      } else {
        for (int i = 0; i < shape.action_size; ++i)
          action[i] = p[i] + (greedy ? 0.0
                                     : std::exp(p[shape.action_size + i]) *
                                           std::normal_distribution<double>(0.0, 1.0)(policy_rng));
      }
      const rl::StepResult r = env->step(action, obs);
      total += r.reward;
      if (r.done()) break;
    }
    ev.mean_return += total / static_cast<double>(episodes);
    ev.min_return = ep == 0 ? total : std::min(ev.min_return, total);
    ev.max_return = ep == 0 ? total : std::max(ev.max_return, total);
  }
  return ev;
}

}  // namespace deepnvm::rltrain
