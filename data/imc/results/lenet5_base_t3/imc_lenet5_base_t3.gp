# fmnist_lenet5: accuracy against energy per inference on crossbars (20 seeds)
# Written by `deepnvm imc sweep`; re-draw with `gnuplot imc_lenet5_base_t3.gp` in this folder (writes imc_lenet5_base_t3.svg and imc_lenet5_base_t3.png).
if (!exists("outbase")) outbase = "imc_lenet5_base_t3"
width = 900
height = 600

datafile = "imc_lenet5_base_t3.dat"
set logscale x
set grid
set key outside right
set xlabel "energy per inference (nJ)"
set ylabel "test accuracy (%)"
set title "fmnist_lenet5"

set terminal svg size width,height dynamic noenhanced font "sans,11" background "white"
set output outbase.".svg"
plot datafile index 0 using 1:2:3 with yerrorlines title "pcm T=2", \
     datafile index 1 using 1:2:3 with yerrorlines title "reram T=2", \
     datafile index 2 using 1:2:3 with yerrorlines title "stt_mram T=2", \
     datafile index 3 using 1:2:3 with yerrorlines title "fefet T=2", \
     89.06 with lines dt 2 lc rgb "black" title "noise-free", 88.06 with lines dt 3 lc rgb "gray" title "noise-free - 1 pp"
set output

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size width,height noenhanced font "sans,10" background "white"
} else {
  set terminal png size width,height noenhanced
}
set output outbase.".png"
plot datafile index 0 using 1:2:3 with yerrorlines title "pcm T=2", \
     datafile index 1 using 1:2:3 with yerrorlines title "reram T=2", \
     datafile index 2 using 1:2:3 with yerrorlines title "stt_mram T=2", \
     datafile index 3 using 1:2:3 with yerrorlines title "fefet T=2", \
     89.06 with lines dt 2 lc rgb "black" title "noise-free", 88.06 with lines dt 3 lc rgb "gray" title "noise-free - 1 pp"
set output
