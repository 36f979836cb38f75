#!/bin/bash
/tmp/h14gc/sw.sh /tmp/h14gc/before.jar /tmp/h14gc/sw2-before
/tmp/h14gc/sw.sh /tmp/h14gc/pp.jar /tmp/h14gc/sw2-pp
