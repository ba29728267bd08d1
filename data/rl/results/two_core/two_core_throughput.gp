# double_pendulum: frames per second against the CPU/GPU ratio
# Written by `deepnvm rl sweep`; re-draw with `gnuplot two_core_throughput.gp` in this folder (writes two_core_throughput.svg and two_core_throughput.png).
if (!exists("outbase")) outbase = "two_core_throughput"
width = 1000
height = 600

datafile = "two_core_throughput.dat"
set grid
set key outside right
set xlabel "CPU/GPU ratio (actor cores per learner device)"
set ylabel "environment frames per second"
set yrange [0:*]
set title "double_pendulum: measured (solid), model (dashed); circle: measured knee, square: model's knee"

set terminal svg size width,height dynamic noenhanced font "sans,11" background "white"
set output outbase.".svg"
plot datafile index 0 using 1:2 with linespoints lw 2 pt 7 lc 1 title "actor, 1 env/actor", \
     datafile index 0 using 1:3 with lines dt 2 lw 2 lc 1 title "model", \
     datafile index 0 using 1:4 with points pt 6 ps 3 lc 1 notitle, \
     datafile index 0 using 1:5 with points pt 4 ps 3 lc 1 notitle, \
     datafile index 1 using 1:2 with linespoints lw 2 pt 7 lc 2 title "actor, 1 env/actor, 2 cores/actor", \
     datafile index 1 using 1:3 with lines dt 2 lw 2 lc 2 title "model", \
     datafile index 1 using 1:4 with points pt 6 ps 3 lc 2 notitle, \
     datafile index 1 using 1:5 with points pt 4 ps 3 lc 2 notitle, \
     datafile index 2 using 1:2 with linespoints lw 2 pt 7 lc 3 title "actor, 4 envs/actor", \
     datafile index 2 using 1:3 with lines dt 2 lw 2 lc 3 title "model", \
     datafile index 2 using 1:4 with points pt 6 ps 3 lc 3 notitle, \
     datafile index 2 using 1:5 with points pt 4 ps 3 lc 3 notitle, \
     datafile index 3 using 1:2 with linespoints lw 2 pt 7 lc 4 title "actor, 4 envs/actor, 2 cores/actor", \
     datafile index 3 using 1:3 with lines dt 2 lw 2 lc 4 title "model", \
     datafile index 3 using 1:4 with points pt 6 ps 3 lc 4 notitle, \
     datafile index 3 using 1:5 with points pt 4 ps 3 lc 4 notitle, \
     datafile index 4 using 1:2 with linespoints lw 2 pt 7 lc 5 title "central, 1 env/actor, batch 8", \
     datafile index 4 using 1:3 with lines dt 2 lw 2 lc 5 title "model", \
     datafile index 4 using 1:4 with points pt 6 ps 3 lc 5 notitle, \
     datafile index 4 using 1:5 with points pt 4 ps 3 lc 5 notitle, \
     datafile index 5 using 1:2 with linespoints lw 2 pt 7 lc 6 title "central, 1 env/actor, 2 cores/actor, batch 8", \
     datafile index 5 using 1:3 with lines dt 2 lw 2 lc 6 title "model", \
     datafile index 5 using 1:4 with points pt 6 ps 3 lc 6 notitle, \
     datafile index 5 using 1:5 with points pt 4 ps 3 lc 6 notitle, \
     datafile index 6 using 1:2 with linespoints lw 2 pt 7 lc 7 title "central, 4 envs/actor, batch 8", \
     datafile index 6 using 1:3 with lines dt 2 lw 2 lc 7 title "model", \
     datafile index 6 using 1:4 with points pt 6 ps 3 lc 7 notitle, \
     datafile index 6 using 1:5 with points pt 4 ps 3 lc 7 notitle, \
     datafile index 7 using 1:2 with linespoints lw 2 pt 7 lc 8 title "central, 4 envs/actor, 2 cores/actor, batch 8", \
     datafile index 7 using 1:3 with lines dt 2 lw 2 lc 8 title "model", \
     datafile index 7 using 1:4 with points pt 6 ps 3 lc 8 notitle, \
     datafile index 7 using 1:5 with points pt 4 ps 3 lc 8 notitle
set output

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size width,height noenhanced font "sans,10" background "white"
} else {
  set terminal png size width,height noenhanced
}
set output outbase.".png"
plot datafile index 0 using 1:2 with linespoints lw 2 pt 7 lc 1 title "actor, 1 env/actor", \
     datafile index 0 using 1:3 with lines dt 2 lw 2 lc 1 title "model", \
     datafile index 0 using 1:4 with points pt 6 ps 3 lc 1 notitle, \
     datafile index 0 using 1:5 with points pt 4 ps 3 lc 1 notitle, \
     datafile index 1 using 1:2 with linespoints lw 2 pt 7 lc 2 title "actor, 1 env/actor, 2 cores/actor", \
     datafile index 1 using 1:3 with lines dt 2 lw 2 lc 2 title "model", \
     datafile index 1 using 1:4 with points pt 6 ps 3 lc 2 notitle, \
     datafile index 1 using 1:5 with points pt 4 ps 3 lc 2 notitle, \
     datafile index 2 using 1:2 with linespoints lw 2 pt 7 lc 3 title "actor, 4 envs/actor", \
     datafile index 2 using 1:3 with lines dt 2 lw 2 lc 3 title "model", \
     datafile index 2 using 1:4 with points pt 6 ps 3 lc 3 notitle, \
     datafile index 2 using 1:5 with points pt 4 ps 3 lc 3 notitle, \
     datafile index 3 using 1:2 with linespoints lw 2 pt 7 lc 4 title "actor, 4 envs/actor, 2 cores/actor", \
     datafile index 3 using 1:3 with lines dt 2 lw 2 lc 4 title "model", \
     datafile index 3 using 1:4 with points pt 6 ps 3 lc 4 notitle, \
     datafile index 3 using 1:5 with points pt 4 ps 3 lc 4 notitle, \
     datafile index 4 using 1:2 with linespoints lw 2 pt 7 lc 5 title "central, 1 env/actor, batch 8", \
     datafile index 4 using 1:3 with lines dt 2 lw 2 lc 5 title "model", \
     datafile index 4 using 1:4 with points pt 6 ps 3 lc 5 notitle, \
     datafile index 4 using 1:5 with points pt 4 ps 3 lc 5 notitle, \
     datafile index 5 using 1:2 with linespoints lw 2 pt 7 lc 6 title "central, 1 env/actor, 2 cores/actor, batch 8", \
     datafile index 5 using 1:3 with lines dt 2 lw 2 lc 6 title "model", \
     datafile index 5 using 1:4 with points pt 6 ps 3 lc 6 notitle, \
     datafile index 5 using 1:5 with points pt 4 ps 3 lc 6 notitle, \
     datafile index 6 using 1:2 with linespoints lw 2 pt 7 lc 7 title "central, 4 envs/actor, batch 8", \
     datafile index 6 using 1:3 with lines dt 2 lw 2 lc 7 title "model", \
     datafile index 6 using 1:4 with points pt 6 ps 3 lc 7 notitle, \
     datafile index 6 using 1:5 with points pt 4 ps 3 lc 7 notitle, \
     datafile index 7 using 1:2 with linespoints lw 2 pt 7 lc 8 title "central, 4 envs/actor, 2 cores/actor, batch 8", \
     datafile index 7 using 1:3 with lines dt 2 lw 2 lc 8 title "model", \
     datafile index 7 using 1:4 with points pt 6 ps 3 lc 8 notitle, \
     datafile index 7 using 1:5 with points pt 4 ps 3 lc 8 notitle
set output
