#include "model/fields.hpp"

#include <cstdlib>
#include <fmt/format.h>
#include <limits>
#include <optional>
#include <stdexcept>
#include <type_traits>

namespace ciperf {
namespace {

template <typename T> struct IsOptional : std::false_type {};
template <typename T> struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T> constexpr FieldType type_of() {
  if constexpr (IsOptional<T>::value)
    return type_of<typename T::value_type>();
  else if constexpr (std::is_same_v<T, bool>)
    return FieldType::Boolean;
  else if constexpr (std::is_integral_v<T>)
    return FieldType::Integer;
  else if constexpr (std::is_floating_point_v<T>)
    return FieldType::Real;
  else
    return FieldType::Text; // strings and enums
}

template <typename T> FieldValue to_value(const T& v) {
  if constexpr (IsOptional<T>::value)
    return v ? to_value(*v) : FieldValue{};
  else if constexpr (std::is_same_v<T, bool>)
    return v;
  else if constexpr (std::is_integral_v<T>)
    return static_cast<int64_t>(v);
  else if constexpr (std::is_floating_point_v<T>)
    return static_cast<double>(v);
  else if constexpr (std::is_enum_v<T>)
    return std::string(to_string(v));
  else
    return v;
}

template <typename T> bool from_number(const FieldValue& value, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (auto* b = std::get_if<bool>(&value))
      return out = *b, true;
    if (auto* i = std::get_if<int64_t>(&value))
      return out = *i != 0, true;
    return false;
  } else if constexpr (std::is_integral_v<T>) {
    auto* i = std::get_if<int64_t>(&value);
    if (!i || *i < std::numeric_limits<T>::min() || *i > std::numeric_limits<T>::max())
      return false;
    out = static_cast<T>(*i);
    return true;
  } else {
    if (auto* d = std::get_if<double>(&value))
      return out = *d, true;
    if (auto* i = std::get_if<int64_t>(&value))
      return out = static_cast<double>(*i), true;
    return false;
  }
}

// A null read into a plain number or flag gives 0 and into text "" (as the store's COALESCE did).
template <typename T> bool from_value(const FieldValue& value, T& out) {
  bool null = std::holds_alternative<std::monostate>(value);
  if constexpr (IsOptional<T>::value) {
    if (null)
      return out.reset(), true;
    typename T::value_type inner{};
    if (!from_value(value, inner))
      return false;
    out = inner;
    return true;
  } else if constexpr (std::is_arithmetic_v<T>) {
    if (null)
      return out = T{}, true;
    return from_number(value, out);
  } else if constexpr (std::is_enum_v<T>) {
    auto* s = std::get_if<std::string>(&value);
    auto parsed = s ? parse_enum<T>(*s) : std::nullopt;
    if (parsed)
      out = *parsed;
    return parsed.has_value();
  } else {
    if (null)
      return out.clear(), true;
    auto* s = std::get_if<std::string>(&value);
    if (s)
      out = *s;
    return s != nullptr;
  }
}

template <typename> struct MemberOf;
template <typename R, typename T> struct MemberOf<T R::*> {
  using Record = R;
  using Type = T;
};
template <auto M> using RecordOf = typename MemberOf<decltype(M)>::Record;
template <auto M> using TypeOf = typename MemberOf<decltype(M)>::Type;

template <auto M> FieldValue get_member(const RecordOf<M>& r) {
  return to_value(r.*M);
}
template <auto M> bool set_member(RecordOf<M>& r, const FieldValue& v) {
  return from_value(v, r.*M);
}

// A field of the record itself.
template <auto M> constexpr Field<RecordOf<M>> member(std::string_view name, JsonKey json) {
  using T = TypeOf<M>;
  return {name, type_of<T>(), IsOptional<T>::value, json, &get_member<M>, &set_member<M>};
}

// A field of a struct the record holds (the host).
template <auto Outer, auto Inner> FieldValue get_nested(const RecordOf<Outer>& r) {
  return to_value((r.*Outer).*Inner);
}
template <auto Outer, auto Inner> bool set_nested(RecordOf<Outer>& r, const FieldValue& v) {
  return from_value(v, (r.*Outer).*Inner);
}
template <auto Outer, auto Inner> constexpr Field<RecordOf<Outer>> nested(std::string_view name) {
  return {name,          type_of<TypeOf<Inner>>(),  false,
          JsonKey::None, &get_nested<Outer, Inner>, &set_nested<Outer, Inner>};
}

// A figure of one of the phase's optional pressures: all six are null together when the kernel
// has no PSI (or, for the phase's own, there was no cgroup), so a non-null one engages it.
template <auto Which, auto Figure> FieldValue get_pressure(const PhaseRecord& p) {
  return (p.*Which) ? FieldValue((*(p.*Which)).*Figure) : FieldValue{};
}
template <auto Which, auto Figure> bool set_pressure(PhaseRecord& p, const FieldValue& v) {
  if (std::holds_alternative<std::monostate>(v))
    return true;
  if (!(p.*Which))
    (p.*Which).emplace();
  return from_value(v, (*(p.*Which)).*Figure);
}
template <auto Which, auto Figure> constexpr Field<PhaseRecord> pressure(std::string_view name) {
  return {name,
          FieldType::Real,
          true,
          JsonKey::None,
          &get_pressure<Which, Figure>,
          &set_pressure<Which, Figure>};
}

FieldValue get_marks(const WaitTargetRecord& t) {
  return encode_marks(t.marks);
}
bool set_marks(WaitTargetRecord& t, const FieldValue& v) {
  auto* s = std::get_if<std::string>(&v);
  if (s)
    t.marks = decode_marks(*s);
  return s != nullptr || std::holds_alternative<std::monostate>(v);
}

using J = JsonKey;
using R = RunRecord;
using P = PhaseRecord;
using W = WaitRecord;
using T = WaitTargetRecord;

const Field<RunRecord> kRunFields[] = {
    member<&R::run_id>("run_id", J::Required),
    member<&R::pipeline>("pipeline", J::Required),
    member<&R::pipeline_file>("pipeline_file", J::Always),
    member<&R::mode>("mode", J::Always),
    member<&R::status>("status", J::Required),
    member<&R::accounting>("accounting", J::Always),
    member<&R::started_at>("started_at", J::Required),
    member<&R::finished_at>("finished_at", J::Always),
    member<&R::wall_s>("wall_s", J::Always),
    member<&R::deploys>("deploys", J::Always),
    member<&R::expected_deploys>("expected_deploys", J::Always),
    nested<&R::host, &HostInfo::hostname>("hostname"),
    nested<&R::host, &HostInfo::cpus>("cpus"),
    nested<&R::host, &HostInfo::memory_bytes>("memory_bytes"),
    nested<&R::host, &HostInfo::kernel>("kernel"),
    nested<&R::host, &HostInfo::cpu_model>("cpu_model"),
    nested<&R::host, &HostInfo::virtualization>("virtualization"),
    member<&R::run_dir>("run_dir", J::None),
};

const Field<PhaseRecord> kPhaseFields[] = {
    member<&P::index>("idx", J::None),
    member<&P::name>("name", J::Required),
    member<&P::kind>("kind", J::Always),
    member<&P::tier>("tier", J::Always),
    member<&P::status>("status", J::Required),
    member<&P::exit_code>("exit_code", J::Always),
    member<&P::signal>("signal", J::Always),
    member<&P::background>("background", J::Always),
    member<&P::always>("always", J::Always),
    member<&P::start_s>("start_s", J::Always),
    member<&P::wall_s>("wall_s", J::Always),
    member<&P::user_s>("user_s", J::Always),
    member<&P::sys_s>("sys_s", J::Always),
    member<&P::max_rss_bytes>("max_rss_bytes", J::Always),
    member<&P::read_bytes>("read_bytes", J::Always),
    member<&P::write_bytes>("write_bytes", J::Always),
    pressure<&P::pressure, &Pressure::cpu_some_s>("cpu_some_s"),
    pressure<&P::pressure, &Pressure::cpu_full_s>("cpu_full_s"),
    pressure<&P::pressure, &Pressure::io_some_s>("io_some_s"),
    pressure<&P::pressure, &Pressure::io_full_s>("io_full_s"),
    pressure<&P::pressure, &Pressure::memory_some_s>("memory_some_s"),
    pressure<&P::pressure, &Pressure::memory_full_s>("memory_full_s"),
    member<&P::tree_user_s>("tree_user_s", J::Always),
    member<&P::tree_sys_s>("tree_sys_s", J::Always),
    member<&P::tree_memory_peak_bytes>("tree_memory_peak_bytes", J::Always),
    member<&P::tree_read_bytes>("tree_read_bytes", J::Always),
    member<&P::tree_write_bytes>("tree_write_bytes", J::Always),
    pressure<&P::own_pressure, &Pressure::cpu_some_s>("own_cpu_some_s"),
    pressure<&P::own_pressure, &Pressure::cpu_full_s>("own_cpu_full_s"),
    pressure<&P::own_pressure, &Pressure::io_some_s>("own_io_some_s"),
    pressure<&P::own_pressure, &Pressure::io_full_s>("own_io_full_s"),
    pressure<&P::own_pressure, &Pressure::memory_some_s>("own_memory_some_s"),
    pressure<&P::own_pressure, &Pressure::memory_full_s>("own_memory_full_s"),
    member<&P::budget_s>("budget_s", J::Omittable),
    member<&P::over_budget>("over_budget", J::Omittable), // results.json: only with a budget
    member<&P::log>("log", J::Always),
    member<&P::message>("message", J::Omittable),
    member<&P::system_out>("system_out", J::Omittable),
    member<&P::system_err>("system_err", J::Omittable),
    member<&P::properties>("properties", J::Omittable),
};

const Field<WaitRecord> kWaitFields[] = {
    member<&W::outcome>("outcome", J::Required),
    member<&W::elapsed_s>("elapsed_s", J::Always),
    member<&W::ready_s>("ready_s", J::Always),
    member<&W::attempts>("attempts", J::Always),
    member<&W::http_requests>("http_requests", J::Always),
    member<&W::attempts_saved>("attempts_saved", J::Always),
    member<&W::relaxed_until_s>("relaxed_until_s", J::Always),
};

const Field<WaitTargetRecord> kWaitTargetFields[] = {
    member<&T::target>("target", J::Required),
    member<&T::kind>("kind", J::Always),
    member<&T::fail_if>("fail_if", J::Always),
    member<&T::attempts>("attempts", J::Always),
    member<&T::first_success_s>("first_success_s", J::Always),
    member<&T::last_failure>("last_failure", J::Always),
    {"marks", FieldType::Text, false, J::None, &get_marks, &set_marks}, // JSON: pairs, not text
};

const Field<PrepareRecord> kPrepareFields[] = {
    member<&PrepareRecord::status>("status", J::Required),
    member<&PrepareRecord::exit_code>("exit_code", J::Always),
    member<&PrepareRecord::wall_s>("wall_s", J::Always),
    member<&PrepareRecord::log>("log", J::Always),
};

} // namespace

std::span<const Field<RunRecord>> run_fields() {
  return kRunFields;
}
std::span<const Field<PhaseRecord>> phase_fields() {
  return kPhaseFields;
}
std::span<const Field<WaitRecord>> wait_fields() {
  return kWaitFields;
}
std::span<const Field<WaitTargetRecord>> wait_target_fields() {
  return kWaitTargetFields;
}
std::span<const Field<PrepareRecord>> prepare_fields() {
  return kPrepareFields;
}

template <typename Record>
const Field<Record>& field_named(std::span<const Field<Record>> fields, std::string_view name) {
  for (const auto& f : fields)
    if (f.name == name)
      return f;
  throw std::logic_error("no field named " + std::string(name));
}
template const Field<RunRecord>& field_named(std::span<const Field<RunRecord>>, std::string_view);
template const Field<PhaseRecord>& field_named(std::span<const Field<PhaseRecord>>,
                                               std::string_view);

std::string encode_marks(const std::vector<AttemptMark>& marks) {
  std::string out;
  for (const auto& m : marks)
    out += fmt::format("{}{}{:.6f}", out.empty() ? "" : " ", m.ok ? "+" : "", m.at_s);
  return out;
}

std::vector<AttemptMark> decode_marks(const std::string& text) {
  std::vector<AttemptMark> marks;
  const char* p = text.c_str();
  while (*p) {
    char* end = nullptr;
    bool ok = *p == '+';
    double at = std::strtod(p + (ok ? 1 : 0), &end);
    if (end == p)
      break;
    marks.push_back({at, ok});
    p = end;
    while (*p == ' ')
      ++p;
  }
  return marks;
}

} // namespace ciperf
