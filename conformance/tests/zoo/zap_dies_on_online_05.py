# Desvio: um 05 para um usuario ONLINE mata a thread de quem enviou: o envio
# passa uma str para send() (TypeError), antes de qualquer validacao dos
# campos. O "with conn" fecha o socket de quem enviou. Para um destinatario
# offline (guardar e entregar no 03) e para grupos, tudo funciona.
from zap_base import ServidorZap, main


class Servidor(ServidorZap):
    def trata_05(self, conn, msg, envios):
        src, dst = msg[2:15], msg[15:28]
        if self.sessoes.get(conn) == src and dst in self.online:
            self.online[dst].send("06" + msg[2:])  # bug: str em vez de bytes
        super().trata_05(conn, msg, envios)


if __name__ == "__main__":
    main(Servidor)
