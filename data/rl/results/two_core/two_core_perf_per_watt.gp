# double_pendulum: frames per joule against the CPU/GPU ratio
# Written by `deepnvm rl sweep`; re-draw with `gnuplot two_core_perf_per_watt.gp` in this folder (writes two_core_perf_per_watt.svg and two_core_perf_per_watt.png).
if (!exists("outbase")) outbase = "two_core_perf_per_watt"
width = 1000
height = 600

datafile = "two_core_perf_per_watt.dat"
set grid
set key outside right
set xlabel "CPU/GPU ratio (actor cores per learner device)"
set ylabel "frames per joule"
set title "double_pendulum"

set terminal svg size width,height dynamic noenhanced font "sans,11" background "white"
set output outbase.".svg"
set xrange [0:25]
set yrange [0:1]
unset ytics
set label 1 "no power sensor: no intel-rapl package under /sys/class/powercap" at graph 0.5, 0.5 center
plot NaN notitle
set output

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size width,height noenhanced font "sans,10" background "white"
} else {
  set terminal png size width,height noenhanced
}
set output outbase.".png"
set xrange [0:25]
set yrange [0:1]
unset ytics
set label 1 "no power sensor: no intel-rapl package under /sys/class/powercap" at graph 0.5, 0.5 center
plot NaN notitle
set output
