"""One trading session of binance-futures-connector (UMFutures) against a Binance-compatible base URL, user stream included.

Usage: connector_session.py BASE_URL API_KEY API_SECRET. Prints a line per step; any failure raises.
"""
import json
import sys

from binance.um_futures import UMFutures
from websockets.sync.client import connect

base, key, secret = sys.argv[1:4]
c = UMFutures(key=key, secret=secret, base_url=base)
assert any(s['symbol'] == 'BTCUSDT' for s in c.exchange_info()['symbols'])
print('markets ok')
print('ticker', c.ticker_price('BTCUSDT')['price'])
print('24hr', c.ticker_24hr_price_change('BTCUSDT')['lastPrice'])
balances = [b['balance'] for b in c.balance() if b['asset'] == 'USDT']
assert balances and float(balances[0]) > 0
print('balance', balances[0])
assert c.change_leverage(symbol='BTCUSDT', leverage=5)['leverage'] == 5
print('leverage 5')
listen = c.new_listen_key()['listenKey']
with connect(base.replace('http', 'ws', 1) + '/ws/' + listen, open_timeout=10) as ws:
    # As with Binance, an open socket does not say the server has attached it to the account yet: an order placed at
    # once may go out before the stream follows the account, so a client that needs the event orders again.
    events = []
    for attempt in range(3):
        opened = c.new_order(symbol='BTCUSDT', side='BUY', type='MARKET', quantity=0.002, newOrderRespType='RESULT')
        assert opened['status'] == 'FILLED', opened
        print('market buy', opened['status'])
        try:
            while 'ORDER_TRADE_UPDATE' not in events:
                events.append(json.loads(ws.recv(timeout=5)).get('e'))
            break
        except TimeoutError:
            continue
    assert 'ORDER_TRADE_UPDATE' in events, events
    print('user stream', ','.join(sorted(set(e for e in events if e))))
stop = c.sign_request('POST', '/fapi/v1/algoOrder', {
    'symbol': 'BTCUSDT', 'side': 'SELL', 'type': 'STOP_MARKET', 'triggerPrice': 50000, 'closePosition': 'true', 'algoType': 'CONDITIONAL'})
assert stop['algoStatus'] == 'NEW', stop
print('algo stop', stop['algoId'])
held = [p for p in c.get_position_risk(symbol='BTCUSDT') if float(p['positionAmt'])]
assert len(held) == 1, held
closed = c.new_order(symbol='BTCUSDT', side='SELL', type='MARKET', quantity=held[0]['positionAmt'], reduceOnly='true', newOrderRespType='RESULT')
assert closed['status'] == 'FILLED', closed
print('reduce-only close', closed['status'])
assert len(c.get_account_trades(symbol='BTCUSDT')) >= 2
print('trades ok')
