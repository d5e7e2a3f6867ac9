# frozen_string_literal: true

# n-body in plain Ruby: the same algorithm and operation order as
# examples/nbody.c, used as the pure-Ruby baseline in the speed comparison.
# NBodyPure.run(n) resets the 5 bodies, advances n steps of dt = 0.01 and
# returns the energy (NBodyPure.run(1000) = -0.169087605).
module NBodyPure
  SOLAR_MASS = 4.0 * Math::PI * Math::PI
  DAYS_PER_YEAR = 365.24
  DT = 0.01

  # Sun, Jupiter, Saturn, Uranus, Neptune: x, y, z, vx, vy, vz, mass.
  BODIES = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS],
    [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS],
    [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS],
    [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS],
    [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS]
  ].map(&:freeze).freeze

  def self.run(n)
    nb = BODIES.size
    # One array per component.
    x = BODIES.map { |b| b[0] }
    y = BODIES.map { |b| b[1] }
    z = BODIES.map { |b| b[2] }
    vx = BODIES.map { |b| b[3] }
    vy = BODIES.map { |b| b[4] }
    vz = BODIES.map { |b| b[5] }
    m = BODIES.map { |b| b[6] }

    # Offset the momentum so the system's total momentum is zero.
    px = py = pz = 0.0
    i = 0
    while i < nb
      px += vx[i] * m[i]
      py += vy[i] * m[i]
      pz += vz[i] * m[i]
      i += 1
    end
    vx[0] = -px / SOLAR_MASS
    vy[0] = -py / SOLAR_MASS
    vz[0] = -pz / SOLAR_MASS

    dt = DT
    s = 0
    while s < n
      i = 0
      while i < nb
        xi = x[i]
        yi = y[i]
        zi = z[i]
        vxi = vx[i]
        vyi = vy[i]
        vzi = vz[i]
        mi = m[i]
        j = i + 1
        while j < nb
          dx = xi - x[j]
          dy = yi - y[j]
          dz = zi - z[j]
          distance = Math.sqrt(dx * dx + dy * dy + dz * dz)
          mag = dt / (distance * distance * distance)
          mj = m[j]
          vxi -= dx * mj * mag
          vyi -= dy * mj * mag
          vzi -= dz * mj * mag
          vx[j] += dx * mi * mag
          vy[j] += dy * mi * mag
          vz[j] += dz * mi * mag
          j += 1
        end
        vx[i] = vxi
        vy[i] = vyi
        vz[i] = vzi
        i += 1
      end
      i = 0
      while i < nb
        x[i] += dt * vx[i]
        y[i] += dt * vy[i]
        z[i] += dt * vz[i]
        i += 1
      end
      s += 1
    end

    e = 0.0
    i = 0
    while i < nb
      e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
      j = i + 1
      while j < nb
        dx = x[i] - x[j]
        dy = y[i] - y[j]
        dz = z[i] - z[j]
        e -= (m[i] * m[j]) / Math.sqrt(dx * dx + dy * dy + dz * dz)
        j += 1
      end
      i += 1
    end
    e
  end
end
