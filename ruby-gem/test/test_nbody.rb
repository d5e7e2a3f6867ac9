# frozen_string_literal: true

require_relative "test_helper"
require_relative "../../examples/nbody_pure"

class NBodyTest < Minitest::Test
  def test_energy
    exports = Wasmer::Instance.new(Fixtures.bytes("nbody")).exports
    exports.init
    assert_in_delta(-0.169075164, exports.energy, 1e-9)
    assert_in_delta(-0.169087605, exports.step(1000), 1e-9)
    assert_in_delta(-0.169087605, exports.energy, 1e-9)
  end

  def test_same_as_pure_ruby
    exports = Wasmer::Instance.new(Fixtures.bytes("nbody")).exports
    exports.init
    assert_in_delta NBodyPure.run(100), exports.step(100), 1e-12
  end
end
