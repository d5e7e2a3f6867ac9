<?php
/*
 * n-body in plain PHP: the same algorithm and operation order as
 * examples/nbody.c, used as the pure-PHP baseline in the speed comparison.
 * nbody_pure($n) resets the 5 bodies, advances $n steps of dt = 0.01 and
 * returns the energy (nbody_pure(1000) = -0.169087605).
 */

function nbody_pure(int $n): float
{
    $solarMass = 4.0 * M_PI * M_PI;
    $daysPerYear = 365.24;
    $dt = 0.01;

    // Sun, Jupiter, Saturn, Uranus, Neptune: one array per component.
    $x = [0.0, 4.84143144246472090e+00, 8.34336671824457987e+00,
          1.28943695621391310e+01, 1.53796971148509165e+01];
    $y = [0.0, -1.16032004402742839e+00, 4.12479856412430479e+00,
          -1.51111514016986312e+01, -2.59193146099879641e+01];
    $z = [0.0, -1.03622044471123109e-01, -4.03523417114321381e-01,
          -2.23307578892655734e-01, 1.79258772950371181e-01];
    $vx = [0.0, 1.66007664274403694e-03 * $daysPerYear,
           -2.76742510726862411e-03 * $daysPerYear,
           2.96460137564761618e-03 * $daysPerYear,
           2.68067772490389322e-03 * $daysPerYear];
    $vy = [0.0, 7.69901118419740425e-03 * $daysPerYear,
           4.99852801234917238e-03 * $daysPerYear,
           2.37847173959480950e-03 * $daysPerYear,
           1.62824170038242295e-03 * $daysPerYear];
    $vz = [0.0, -6.90460016972063023e-05 * $daysPerYear,
           2.30417297573763929e-05 * $daysPerYear,
           -2.96589568540237556e-05 * $daysPerYear,
           -9.51592254519715870e-05 * $daysPerYear];
    $m = [$solarMass, 9.54791938424326609e-04 * $solarMass,
          2.85885980666130812e-04 * $solarMass,
          4.36624404335156298e-05 * $solarMass,
          5.15138902046611451e-05 * $solarMass];
    $nb = 5;

    // Offset the momentum so the system's total momentum is zero.
    $px = 0.0; $py = 0.0; $pz = 0.0;
    for ($i = 0; $i < $nb; $i++) {
        $px += $vx[$i] * $m[$i];
        $py += $vy[$i] * $m[$i];
        $pz += $vz[$i] * $m[$i];
    }
    $vx[0] = -$px / $solarMass;
    $vy[0] = -$py / $solarMass;
    $vz[0] = -$pz / $solarMass;

    for ($s = 0; $s < $n; $s++) {
        for ($i = 0; $i < $nb; $i++) {
            $xi = $x[$i]; $yi = $y[$i]; $zi = $z[$i];
            $vxi = $vx[$i]; $vyi = $vy[$i]; $vzi = $vz[$i];
            $mi = $m[$i];
            for ($j = $i + 1; $j < $nb; $j++) {
                $dx = $xi - $x[$j];
                $dy = $yi - $y[$j];
                $dz = $zi - $z[$j];
                $distance = sqrt($dx * $dx + $dy * $dy + $dz * $dz);
                $mag = $dt / ($distance * $distance * $distance);
                $mj = $m[$j];
                $vxi -= $dx * $mj * $mag;
                $vyi -= $dy * $mj * $mag;
                $vzi -= $dz * $mj * $mag;
                $vx[$j] += $dx * $mi * $mag;
                $vy[$j] += $dy * $mi * $mag;
                $vz[$j] += $dz * $mi * $mag;
            }
            $vx[$i] = $vxi; $vy[$i] = $vyi; $vz[$i] = $vzi;
        }
        for ($i = 0; $i < $nb; $i++) {
            $x[$i] += $dt * $vx[$i];
            $y[$i] += $dt * $vy[$i];
            $z[$i] += $dt * $vz[$i];
        }
    }

    $e = 0.0;
    for ($i = 0; $i < $nb; $i++) {
        $e += 0.5 * $m[$i] * ($vx[$i] * $vx[$i] + $vy[$i] * $vy[$i] + $vz[$i] * $vz[$i]);
        for ($j = $i + 1; $j < $nb; $j++) {
            $dx = $x[$i] - $x[$j];
            $dy = $y[$i] - $y[$j];
            $dz = $z[$i] - $z[$j];
            $e -= ($m[$i] * $m[$j]) / sqrt($dx * $dx + $dy * $dy + $dz * $dz);
        }
    }
    return $e;
}
