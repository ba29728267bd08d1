#!/bin/bash
set -x
cd "$(dirname "$0")"
nvidia-smi -L; which ncu nvcc nvprof; ncu --version; nvcc --version | tail -2
export PATH=$PATH:/usr/local/cuda/bin
nvcc -O2 -o probe probe.cu -ldl 2>&1 | tail -5 || exit 1
M=lts__t_sectors_srcunit_tex_op_read.sum,lts__t_sectors_srcunit_tex_op_write.sum,lts__t_sectors_srcunit_tex_op_read_lookup_hit.sum,lts__t_sectors_srcunit_tex_op_write_lookup_hit.sum,lts__t_sectors_op_read.sum,lts__t_sectors_op_write.sum,lts__t_sectors_srcunit_ltcfabric_op_read.sum,lts__t_sectors_srcunit_ltcfabric_op_read_lookup_hit.sum,dram__bytes_read.sum,dram__bytes_write.sum,dram__sectors_read.sum,gpu__time_duration.sum
ncu --csv --print-units base --nvtx --metrics $M ./probe > $OUT/details_base_nvtx.csv 2>$OUT/details_base_nvtx.err
ncu --csv --print-units base --metrics $M ./probe > $OUT/details_base.csv 2>&1
ncu --csv --nvtx --metrics $M ./probe > $OUT/details_auto_nvtx.csv 2>&1
ncu --csv --page raw --print-units base --nvtx --metrics $M ./probe > $OUT/raw_base_nvtx.csv 2>&1
ncu --csv --page raw --metrics $M ./probe > $OUT/raw_auto.csv 2>&1
ncu --csv --print-units base --cache-control none --clock-control none --nvtx --metrics $M --print-summary per-kernel ./probe > $OUT/summary.csv 2>&1
ncu --csv --print-units base --nvtx --section SpeedOfLight --metrics gpu__time_duration.sum ./probe > $OUT/details_section_rules.csv 2>&1
ls -la $OUT
