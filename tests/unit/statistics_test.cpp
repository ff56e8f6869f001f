// Each statistic against values computed by hand (the arithmetic is in the comments).
#include "analysis/statistics.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace ciperf::stats;

TEST_CASE("location and spread of a small sample", "[stats]") {
  std::vector<double> x = {4, 1, 100, 3, 2};
  CHECK(mean(x) == 22);
  CHECK(median(x) == 3);
  CHECK(minimum(x) == 1);
  CHECK(maximum(x) == 100);
  CHECK(stddev(x) == Approx(43.617656975));  // sqrt((21² + 20² + 19² + 18² + 78²) / 4)
  CHECK(mad(x) == 1);                        // |x − 3| = 2, 1, 0, 1, 97
  CHECK(percentile(x, 0.25) == 2);           // rank 1 of 0..4
  CHECK(percentile(x, 0.9) == Approx(61.6)); // 4 + 0.6 × 96
  CHECK(cv(x) == Approx(1.982620772));
  CHECK(median(std::vector<double>{1, 2, 3, 4}) == 2.5);
}

TEST_CASE("tiny samples give NaN or nothing, never a made-up number", "[stats]") {
  std::vector<double> none, one = {5};
  CHECK(std::isnan(mean(none)));
  CHECK(std::isnan(median(none)));
  CHECK(std::isnan(stddev(one)));
  CHECK(std::isnan(cv(one)));
  CHECK(median(one) == 5);
  CHECK_FALSE(median_ci(one).has_value());
  CHECK_FALSE(relative_change_ci(one, one).has_value());
  CHECK(mann_whitney(none, one).p == 1);
  CHECK(std::isnan(min_detectable_change(0.03, 1, 10)));
}

TEST_CASE("zero variance is handled", "[stats]") {
  std::vector<double> same = {2, 2, 2, 2};
  CHECK(stddev(same) == 0);
  CHECK(cv(same) == 0);
  CHECK(mad(same) == 0);
  CHECK(mann_whitney(same, same).p == 1);
  auto ci = relative_change_ci(same, same);
  REQUIRE(ci);
  CHECK(ci->low == 0);
  CHECK(ci->high == 0);
}

TEST_CASE("the median's confidence interval comes from binomial ranks", "[stats]") {
  std::vector<double> ten = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  // P(Bin(10, ½) <= 1) = 0.0107 <= 0.025 < P(<= 2) = 0.0547: ranks 2 and 9.
  auto ci = median_ci(ten);
  REQUIRE(ci);
  CHECK(ci->low == 2);
  CHECK(ci->high == 9);
  // n = 5 cannot reach 95% (P(Bin(5, ½) = 0) = 0.031 > 0.025); n = 6 just can.
  CHECK_FALSE(median_ci(std::vector<double>{1, 2, 3, 4, 5}).has_value());
  auto six = median_ci(std::vector<double>{1, 2, 3, 4, 5, 6});
  REQUIRE(six);
  CHECK(six->low == 1);
  CHECK(six->high == 6);
}

TEST_CASE("Mann-Whitney U: exact for small samples, ties included", "[stats]") {
  auto separated = mann_whitney(std::vector<double>{1, 2, 3}, std::vector<double>{4, 5, 6});
  CHECK(separated.exact);
  CHECK(separated.u == 0);
  CHECK(separated.p == Approx(0.1)); // 2 × 1 / C(6, 3)
  auto four = mann_whitney(std::vector<double>{1, 2, 3, 4}, std::vector<double>{5, 6, 7, 8});
  CHECK(four.p == Approx(2.0 / 70));
  auto mixed = mann_whitney(std::vector<double>{1, 3, 5}, std::vector<double>{2, 4, 6});
  CHECK(mixed.u == 3); // rank sum 1 + 3 + 5 = 9, minus 3 × 4 / 2
  CHECK(mixed.p == Approx(0.7));
  // Ties: ranks 1.5, 1.5, 4, 4 | 4, 7, 7, 7; U = 11 − 10 = 1. Of the C(8, 4) = 70 ways to draw
  // four ranks, 3 have a sum <= 11 ({1.5, 1.5, 4, 4} three ways): p = 2 × 3 / 70. The normal
  // approximation said 0.047, a false "significant".
  auto tied = mann_whitney(std::vector<double>{1, 1, 2, 2}, std::vector<double>{2, 3, 3, 3});
  CHECK(tied.exact);
  CHECK(tied.u == 1);
  CHECK(tied.p == Approx(6.0 / 70));
}

TEST_CASE("all-tied sides get the exact p, not the normal approximation's", "[stats]") {
  // Ranks 2, 2, 2 | 5, 5, 5: one of C(6, 3) = 20 draws has a sum as small: p = 2 / 20 (the
  // normal approximation said 0.047).
  auto three = mann_whitney(std::vector<double>{1, 1, 1}, std::vector<double>{2, 2, 2});
  CHECK(three.exact);
  CHECK(three.p == Approx(0.1));
  auto five = mann_whitney(std::vector<double>(5, 1.0), std::vector<double>(5, 2.0));
  CHECK(five.p == Approx(2.0 / 252)); // C(10, 5) = 252
  // Past 20 a side, the normal approximation: still never 0 for a finite sample here.
  auto large = mann_whitney(std::vector<double>(30, 1.0), std::vector<double>(30, 2.0));
  CHECK_FALSE(large.exact);
  CHECK(large.p > 0);
  CHECK(large.p < 1e-6);
}

TEST_CASE("the smallest attainable p bounds what a few runs can show", "[stats]") {
  CHECK(smallest_attainable_p(3, 3) == Approx(0.1));        // 2 / C(6, 3)
  CHECK(smallest_attainable_p(10, 3) == Approx(2.0 / 286)); // 0.007: × 8 phases > 0.05
  CHECK(smallest_attainable_p(10, 10) == Approx(2.0 / 184756));
  CHECK(smallest_attainable_p(0, 5) == 1);
  CHECK(smallest_attainable_p(40, 40) < 1e-9);
}

TEST_CASE("Holm and Benjamini-Hochberg adjust p-values in their order", "[stats]") {
  std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  auto h = holm(p); // sorted 0.005, 0.01, 0.03, 0.04 → ×4, ×3, ×2, ×1, then running max
  CHECK(h[0] == Approx(0.03));
  CHECK(h[1] == Approx(0.06));
  CHECK(h[2] == Approx(0.06));
  CHECK(h[3] == Approx(0.02));
  auto bh = benjamini_hochberg(p); // × 4/1, 4/2, 4/3, 4/4 from the top, running min
  CHECK(bh[0] == Approx(0.02));
  CHECK(bh[1] == Approx(0.04));
  CHECK(bh[2] == Approx(0.04));
  CHECK(bh[3] == Approx(0.02));
}

TEST_CASE("normal distribution and detectable change", "[stats]") {
  CHECK(normal_cdf(0) == Approx(0.5));
  CHECK(normal_quantile(0.975) == Approx(1.959964).epsilon(1e-6));
  // (1.959964 + 0.841621) × 0.03 × sqrt((1/10 + 1/10) / (3/π)) = 0.038464
  CHECK(min_detectable_change(0.03, 10, 10) == Approx(0.038464).epsilon(1e-4));
  CHECK(runs_needed(0.03, 0.10, 0.05, 0.9) == 3);  // 1.2 by the formula; 3 is the minimum
  CHECK(runs_needed(0.10, 0.05, 0.05, 0.8) == 66); // 2 × (2.801585 × 2)² × π/3 = 65.7
}

TEST_CASE("the bootstrap CI of a relative change is reproducible and covers the change",
          "[stats]") {
  std::vector<double> a = {10, 10.2, 9.9, 10.1, 10.0, 9.8, 10.3, 10.1};
  std::vector<double> b;
  for (double v : a)
    b.push_back(v * 1.2);
  auto ci = relative_change_ci(a, b);
  REQUIRE(ci);
  CHECK(ci->low < 0.2);
  CHECK(ci->high > 0.2);
  CHECK(ci->low > 0.1);
  auto again = relative_change_ci(a, b);
  CHECK(again->low == ci->low);
}

TEST_CASE("large samples bound the relative change without a bootstrap", "[stats]") {
  std::vector<double> a, b;
  for (int i = 0; i < 300; ++i) {
    a.push_back(10 + (i % 10) * 0.01);
    b.push_back(12 + (i % 10) * 0.01);
  }
  auto ci = relative_change_ci(a, b);
  REQUIRE(ci);
  CHECK(ci->low < 0.2);
  CHECK(ci->high > 0.2);
  CHECK(ci->high - ci->low < 0.01);
}
