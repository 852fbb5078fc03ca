# Desvio: dorme 50 ms antes de cada envio ("simula a rede").
import time

from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def enviar(self, conn, quadro):
        time.sleep(0.05)
        super().enviar(conn, quadro)


if __name__ == "__main__":
    main(Servidor)
