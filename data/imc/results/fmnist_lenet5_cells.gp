set terminal pngcairo size 1200,900
set output 'fmnist_lenet5_cells.png'
set multiplot layout 2,2 title "fmnist_lenet5: accuracy against the cells' energy (20 seeds, 95 % CI)" noenhanced
set logscale x
set grid
set key bottom right font ',8'
set xlabel "cells' energy per inference (nJ)"
set ylabel 'test accuracy (%)'
set title 'pcm' noenhanced
plot 'fmnist_lenet5_cells.dat' index 0 using 1:2:3 with yerrorlines title 'baseline', 'fmnist_lenet5_cells.dat' index 1 using 1:2:3 with yerrorlines title 'T1', 'fmnist_lenet5_cells.dat' index 2 using 1:2:3 with yerrorlines title 'T2', 'fmnist_lenet5_cells.dat' index 3 using 1:2:3 with yerrorlines title 'T1+T2', 'fmnist_lenet5_cells.dat' index 4 using 1:2:3 with yerrorlines title 'T3 T=2', 88.06 with lines dashtype 2 lc rgb 'gray' title 'baseline noise-free - 1 pp'
set title 'reram' noenhanced
plot 'fmnist_lenet5_cells.dat' index 5 using 1:2:3 with yerrorlines title 'baseline', 'fmnist_lenet5_cells.dat' index 6 using 1:2:3 with yerrorlines title 'T1', 'fmnist_lenet5_cells.dat' index 7 using 1:2:3 with yerrorlines title 'T2', 'fmnist_lenet5_cells.dat' index 8 using 1:2:3 with yerrorlines title 'T1+T2', 'fmnist_lenet5_cells.dat' index 9 using 1:2:3 with yerrorlines title 'T3 T=2', 88.06 with lines dashtype 2 lc rgb 'gray' title 'baseline noise-free - 1 pp'
set title 'stt_mram' noenhanced
plot 'fmnist_lenet5_cells.dat' index 10 using 1:2:3 with yerrorlines title 'baseline', 'fmnist_lenet5_cells.dat' index 11 using 1:2:3 with yerrorlines title 'T1', 'fmnist_lenet5_cells.dat' index 12 using 1:2:3 with yerrorlines title 'T2', 'fmnist_lenet5_cells.dat' index 13 using 1:2:3 with yerrorlines title 'T1+T2', 'fmnist_lenet5_cells.dat' index 14 using 1:2:3 with yerrorlines title 'T3 T=2', 88.06 with lines dashtype 2 lc rgb 'gray' title 'baseline noise-free - 1 pp'
set title 'fefet' noenhanced
plot 'fmnist_lenet5_cells.dat' index 15 using 1:2:3 with yerrorlines title 'baseline', 'fmnist_lenet5_cells.dat' index 16 using 1:2:3 with yerrorlines title 'T1', 'fmnist_lenet5_cells.dat' index 17 using 1:2:3 with yerrorlines title 'T2', 'fmnist_lenet5_cells.dat' index 18 using 1:2:3 with yerrorlines title 'T1+T2', 'fmnist_lenet5_cells.dat' index 19 using 1:2:3 with yerrorlines title 'T3 T=2', 88.06 with lines dashtype 2 lc rgb 'gray' title 'baseline noise-free - 1 pp'
unset multiplot
